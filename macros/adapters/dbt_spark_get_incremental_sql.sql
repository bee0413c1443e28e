{#
    dbt-spark's incremental SQL, plus `delete+insert` through dbt's dispatched
    get_delete_insert_merge_sql (spark__ variant); other strategies are dbt-spark's own.
    (Overrides dbt-spark's macro of this name: the root project's wins.)
#}
{% macro dbt_spark_get_incremental_sql(
    strategy, source, target, existing, unique_key, incremental_predicates
) %}
    {%- if strategy == 'delete+insert' -%}
        {{ get_delete_insert_merge_sql(
            target, source, unique_key, adapter.get_columns_in_relation(target),
            incremental_predicates) }}
    {%- else -%}
        {{ dbt.dbt_spark_get_incremental_sql(
            strategy, source, target, existing, unique_key, incremental_predicates) }}
    {%- endif -%}
{% endmacro %}
