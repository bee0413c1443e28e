{#
    SQL run once at the start of every dbt invocation (the `on-run-start` hook): the engine
    features the cross-db macros rely on that are not there by default. Idempotent, and empty
    (nothing runs) where the engine has everything built in.
#}
{% macro prepare_warehouse() -%}
    {{ return(adapter.dispatch('prepare_warehouse', 'cdp')()) }}
{%- endmacro %}

{% macro default__prepare_warehouse() -%}
    {{ return('') }}
{%- endmacro %}

{#
    PostgreSQL: `levenshtein` comes with the fuzzystrmatch extension (trusted since 13: a
    database owner may create it); PostgreSQL 15 has neither `is json` nor
    `pg_input_is_valid` (both 16+), so JSON validity is a small function that tries the cast
    (see postgres__is_valid_json). It lives in the target schema, created first if missing.
    Parallel unsafe: its exception block is a subtransaction, which no process may start in
    parallel mode (a parallel plan, chosen on larger tables, would fail the build). Its `json`
    overload is for documents json_document already parsed (null when invalid): a plain SQL
    function, inlined as `case when value is not null then true end`.
#}
{% macro postgres__prepare_warehouse() -%}
    {%- set schema = adapter.quote(target.schema) -%}
    create extension if not exists fuzzystrmatch;
    create schema if not exists {{ schema }};
    create or replace function {{ schema }}.cdp_is_valid_json(value text)
    returns boolean
    language plpgsql immutable strict parallel unsafe
    as $cdp$
    begin
        perform cast(value as json);
        return true;
    exception when others then
        return false;
    end;
    $cdp$;
    create or replace function {{ schema }}.cdp_is_valid_json(value json)
    returns boolean
    language sql immutable parallel safe
    as $cdp$ select case when value is not null then true end $cdp$;
{%- endmacro %}
