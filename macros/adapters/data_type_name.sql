{#
    A column type as the project's YAML writes it (contracts' `data_type`, seeds'
    `column_types`: `varchar`, `double`, `bigint`, `decimal(18,2)`, ...) spelled so the active
    adapter's parser reads it as the same type. Used by the adapter overrides of dbt's contract
    check and seed loading, so the YAML stays one spelling for every engine.
#}
{% macro data_type_name(data_type) -%}
    {{ return(adapter.dispatch('data_type_name', 'cdp')(data_type)) }}
{%- endmacro %}

{% macro default__data_type_name(data_type) -%}
    {{ return(data_type) }}
{%- endmacro %}

{# Spark has no unbounded `varchar` / `text` (only `string`) and no `double precision`. #}
{% macro spark__data_type_name(data_type) -%}
    {%- set names = {
        'varchar': 'string', 'text': 'string', 'character varying': 'string',
        'double precision': 'double', 'float8': 'double',
    } -%}
    {{ return(names.get(data_type | trim | lower, data_type)) }}
{%- endmacro %}
