{#
    dbt-spark accepts only its own strategies; the project's state models (person map,
    audience memberships) use `delete+insert` on every engine, which Spark runs through
    spark__get_delete_insert_merge_sql. Any other strategy is validated by dbt-spark as before.
    (Overrides dbt-spark's macro of this name: the root project's wins.)
#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) %}
    {% if raw_strategy == 'delete+insert' %}
        {% do return(raw_strategy) %}
    {% endif %}
    {% do return(dbt.dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format)) %}
{% endmacro %}
