{#
    Contract check on Spark: dbt casts null to each YAML `data_type` to learn the declared
    types, and Spark's parser refuses `varchar` without a length; data_type_name spells it
    `string` (same type) first, then dbt's own default runs.
#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set spelled = {} -%}
    {%- for name, column in columns.items() -%}
        {%- set copy = {} -%}
        {%- do copy.update(column) -%}
        {%- if column.get('data_type') is not none -%}
            {%- do copy.update({'data_type': cdp.data_type_name(column['data_type'])}) -%}
        {%- endif -%}
        {%- do spelled.update({name: copy}) -%}
    {%- endfor -%}
    {{ return(dbt.default__get_empty_schema_sql(spelled)) }}
{%- endmacro %}
