{#
    Use the folder's schema name as is (`staging`, `marts`, ...) instead of dbt's default
    `<target_schema>_<custom>`: the warehouse layout is the same on every target, and BI tools
    and the reverse-ETL layer address `marts.dim_customers` without knowing the target.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
