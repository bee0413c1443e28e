{#
    DuckDB's name of a JSON value's type (json_type: VARCHAR, BIGINT, OBJECT, ...) in the
    vocabulary json_type speaks on every engine: string, number, boolean, object, array, null.
    https://duckdb.org/docs/stable/data/json/json_functions
#}
{% macro duckdb_json_type_name(expr) -%}
    {%- set names = {
        'VARCHAR': 'string', 'BIGINT': 'number', 'UBIGINT': 'number', 'DOUBLE': 'number',
        'BOOLEAN': 'boolean', 'OBJECT': 'object', 'ARRAY': 'array', 'NULL': 'null'
    } -%}
    case {{ expr }}
        {%- for duckdb_name, name in names.items() %}
        when '{{ duckdb_name }}' then '{{ name }}'
        {%- endfor %}
    end
{%- endmacro %}
