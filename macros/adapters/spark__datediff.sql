{#
    dbt-spark's datediff gives an `int` (day, month) where DuckDB's date_diff gives a `bigint`,
    the type the marts' contracts declare (`days_since_last_order`, ...): same values, cast.
#}
{% macro spark__datediff(first_date, second_date, datepart) -%}
    cast({{ dbt.spark__datediff(first_date, second_date, datepart) }} as bigint)
{%- endmacro %}
