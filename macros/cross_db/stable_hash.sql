{#
    A 60-bit integer from md5(`expr`) (text): the first 15 hex digits, the same number on every
    engine. Identity numbers identifiers by it, so an identifier's id depends on its own value
    alone (an incremental run gives the ids a rebuild gives) and ids come in a random-looking
    order (the min-id contraction of connected components then behaves like a random-priority
    one: few rounds on any graph shape). Two of n identifiers share a number with probability
    about n^2 / 2^61 (1e-5 at five million): the unique test on identifier_id then fails the
    build; ids never merge two identifiers silently.
#}
{% macro stable_hash(expr) -%}
    {{ return(adapter.dispatch('stable_hash', 'cdp')(expr)) }}
{%- endmacro %}

{% macro default__stable_hash(expr) -%}
    ('x0' || substr(md5(cast({{ expr }} as {{ dbt.type_string() }})), 1, 15))::bit(64)::bigint
{%- endmacro %}

{% macro duckdb__stable_hash(expr) -%}
    cast('0x' || substr(md5(cast({{ expr }} as varchar)), 1, 15) as bigint)
{%- endmacro %}

{% macro spark__stable_hash(expr) -%}
    cast(conv(substr(md5(cast({{ expr }} as string)), 1, 15), 16, 10) as bigint)
{%- endmacro %}
