{#
    Every rate in the KPI marts is null or within [0, 1]. A rate outside that range means a
    broken numerator or denominator, for example a fan-out join or a sign error on returns.
    Only the monthly return rates may pass 1 here (assert_kpi_return_rates_at_most_one warns
    about them): a month's returns may refer to earlier sales, so a small shop's quiet month
    can return more than it sells without anything being broken.
#}
{# Dagster shows the test as a check on the monthly KPI mart. #}
{{ config(meta={'dagster': {'ref': {'name': 'fct_kpi_monthly'}}}) }}
{%- set rate_columns = {
    'fct_kpi_monthly': ['report_month', ['repeat_purchase_rate', 'return_rate',
                        'revenue_return_rate', 'retention_rate', 'conversion_rate']],
    'fct_cohort_retention': ['first_order_cohort_month', ['retention_rate']],
    'fct_clv_by_acquisition': ['acquisition_cohort_month', ['customer_conversion_rate',
                               'average_p_alive']],
} -%}

with

{% for model, (month_column, columns) in rate_columns.items() %}
{{ model }} as (

    select * from {{ ref(model) }}

),
{% endfor %}

rates as (
    {%- for model, (month_column, columns) in rate_columns.items() %}
    {%- set outer_loop = loop %}
    {%- for column in columns %}

    select
        '{{ model }}' as model_name,
        '{{ column }}' as rate_column,
        {{ month_column }} as row_month,
        {{ column }} as rate
    from {{ model }}
    {%- if not (outer_loop.last and loop.last) %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- endfor %}

)

select * from rates
where rate < 0
    or (rate > 1 and rate_column not in ('return_rate', 'revenue_return_rate'))
