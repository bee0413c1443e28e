{#
    `select <columns> from <source>`, or the same columns typed and empty when the source
    table does not exist yet (the privacy tables appear with the first forget request, and a
    plain `dbt build` must work before that). `columns`: name -> portable type name.
#}
{% macro source_rows_or_none(source_name, table_name, columns) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set found = adapter.get_relation(relation.database, relation.schema,
                                         relation.identifier) if execute else none -%}
    {%- if found is not none -%}
    select {{ columns.keys() | join(', ') }} from {{ relation }}
    {%- else -%}
    select
        {%- for name, type in columns.items() %}
        cast(null as {{ data_type_name(type) }}) as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    where 1 = 0
    {%- endif -%}
{%- endmacro %}
