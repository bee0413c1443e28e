{#
    One row per calendar month, from the first order month to the as-of month: the headline
    KPIs BI plots as trend lines. The monthly figures come from the `int_kpis__` models, one
    per topic, on the shared month spine; this model only joins them and turns them into
    rates. A rate is null when its denominator is 0, never a division error.
#}
with

months as (

    select * from {{ ref('int_kpis__months') }}

),

monthly_orders as (

    select * from {{ ref('int_kpis__monthly_orders') }}

),

monthly_retention as (

    select * from {{ ref('int_kpis__monthly_retention') }}

),

monthly_visitors as (

    select * from {{ ref('int_kpis__monthly_visitors') }}

),

joined as (

    select
        months.calendar_month as report_month,
        monthly_orders.buyers,
        monthly_orders.new_buyers,
        monthly_orders.returning_buyers,
        monthly_orders.orders,
        monthly_orders.return_orders,
        monthly_orders.gross_revenue,
        monthly_orders.returned_revenue,
        monthly_retention.active_customers_at_start,
        monthly_retention.retained_customers,
        monthly_visitors.visitors,
        monthly_visitors.converted_visitors
    from months
    inner join monthly_orders on months.calendar_month = monthly_orders.calendar_month
    inner join monthly_retention on months.calendar_month = monthly_retention.calendar_month
    inner join monthly_visitors on months.calendar_month = monthly_visitors.calendar_month

)

select
    report_month,

    ---------- buyers
    buyers,
    new_buyers,
    returning_buyers,
    {{ decimal_ratio('returning_buyers * 1.0', 'nullif(buyers, 0)', 7, 4) }}
        as repeat_purchase_rate,

    ---------- orders and revenue (reporting currency)
    orders,
    return_orders,
    gross_revenue,
    returned_revenue,
    cast(gross_revenue - returned_revenue as decimal(18, 2)) as net_revenue,
    {{ decimal_ratio('return_orders * 1.0', 'nullif(orders, 0)', 7, 4) }} as return_rate,
    {{ decimal_ratio('returned_revenue * 1.0', 'nullif(gross_revenue, 0)', 7, 4) }}
        as revenue_return_rate,

    ---------- retention
    active_customers_at_start,
    retained_customers,
    {{ decimal_ratio(
        'retained_customers * 1.0', 'nullif(active_customers_at_start, 0)', 7, 4
    ) }}
        as retention_rate,

    ---------- conversion of web and app visitors
    visitors,
    converted_visitors,
    {{ decimal_ratio('converted_visitors * 1.0', 'nullif(visitors, 0)', 7, 4) }} as conversion_rate

from joined
