{#
    delete+insert on Spark's plain Parquet tables (no DELETE): the table's next state is its
    rows whose `unique_key` is not among the new rows, plus the new rows; exactly what DuckDB
    and PostgreSQL leave after `delete ... where key in (new keys)` and `insert`. Spark refuses
    to overwrite a table the same query reads (the new rows read it too), so that state is
    staged in a work table `<table>__dbt_staged` first, written over the table, and the work
    table's drop is the returned (main) statement.
#}
{% macro spark__get_delete_insert_merge_sql(
    target, source, unique_key, dest_columns, incremental_predicates
) -%}
    {%- if incremental_predicates -%}
        {{ exceptions.raise_compiler_error(
            'delete+insert on Spark: incremental_predicates are not supported') }}
    {%- endif -%}
    {%- set keys = [unique_key] if unique_key is string else unique_key -%}
    {%- if not keys -%}
        {{ exceptions.raise_compiler_error('delete+insert on Spark needs a unique_key') }}
    {%- endif -%}
    {%- set columns = dest_columns | map(attribute='quoted') | join(', ') -%}
    {%- set staged = target.incorporate(path={'identifier': target.identifier ~ '__dbt_staged'}) -%}
    {% call statement('delete_insert_drop_leftover') -%}
        drop table if exists {{ staged }}
    {%- endcall %}
    {% call statement('delete_insert_stage') -%}
        create table {{ staged }} using parquet as
        select {{ columns }} from {{ target }} as kept
        where not exists (
            select 1 from {{ source }} as new_rows
            where
                {% for key in keys -%}
                new_rows.{{ key }} = kept.{{ key }}{{ ' and ' if not loop.last }}
                {%- endfor %}
        )
        union all
        select {{ columns }} from {{ source }}
    {%- endcall %}
    {% call statement('delete_insert_overwrite') -%}
        insert overwrite table {{ target }} select {{ columns }} from {{ staged }}
    {%- endcall %}
    drop table if exists {{ staged }}
{%- endmacro %}
