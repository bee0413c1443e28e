{#
    Months whose returns exceed their sales (return rates above 1). Returns may refer to
    earlier sales, so on a small or new shop this happens without a bug: a warning to look at,
    not a reason to hold back every sync.
#}
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'fct_kpi_monthly'}}}) }}

with

fct_kpi_monthly as (

    select * from {{ ref('fct_kpi_monthly') }}

)

select
    report_month,
    return_rate,
    revenue_return_rate
from fct_kpi_monthly
where return_rate > 1 or revenue_return_rate > 1
