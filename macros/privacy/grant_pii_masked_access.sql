{#
    Post-hook of the pii_masked views: with var `cdp_bi_role` set, that role may read the
    view (and use its schema) and nothing else this project builds. PostgreSQL only: DuckDB
    files have no roles, and a local Spark session no access control. The role is checked as
    a lower-case identifier before it reaches the SQL, which names it unquoted.
#}
{% macro grant_pii_masked_access() -%}
    {{ return(adapter.dispatch('grant_pii_masked_access', 'cdp')()) }}
{%- endmacro %}

{% macro default__grant_pii_masked_access() -%}
    {{ return('') }}
{%- endmacro %}

{% macro postgres__grant_pii_masked_access() -%}
    {%- set role = var('cdp_bi_role', none) -%}
    {%- if role is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- if role is not string or not modules.re.fullmatch('[a-z_][a-z0-9_]{0,62}', role) -%}
        {{ exceptions.raise_compiler_error(
            "var cdp_bi_role=" ~ shown_value(role) ~ " is not a role name (lower-case"
            ~ " letters, digits, _; at most 63)") }}
    {%- endif -%}
    grant usage on schema {{ this.schema }} to {{ role }};
    grant select on {{ this }} to {{ role }}
{%- endmacro %}
