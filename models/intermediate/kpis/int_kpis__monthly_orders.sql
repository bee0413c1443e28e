{#
    One row per month of the KPI spine: its buyers (new and returning), sales, returns and
    revenue in the reporting currency. A sale is an order that is not a return; a return
    counts in the month it is made, whatever month the returned order was from. Only orders
    up to `as_of_at` count.
#}
with

orders as (

    select * from {{ ref('int_customers__orders') }}

),

as_of as (

    select * from {{ ref('int_customers__as_of') }}

),

months as (

    select * from {{ ref('int_kpis__months') }}

),

orders_to_date as (

    select
        orders.person_id,
        orders.total_reporting,
        orders.is_return,
        cast({{ dbt.date_trunc('month', 'orders.ordered_at') }} as date) as order_month
    from orders
    cross join as_of
    where orders.ordered_at <= as_of.as_of_at

),

buyer_months as (

    select
        person_id,
        order_month,
        min(order_month) over (partition by person_id) as first_sale_month
    from orders_to_date
    where not is_return
    group by person_id, order_month

),

buyer_summary as (

    select
        order_month,
        count(*) as buyers,
        count(case when order_month = first_sale_month then 1 end) as new_buyers,
        count(case when order_month > first_sale_month then 1 end) as returning_buyers
    from buyer_months
    group by order_month

),

order_summary as (

    select
        order_month,
        count(case when not is_return then 1 end) as orders,
        count(case when is_return then 1 end) as return_orders,
        coalesce(sum(case when not is_return then total_reporting end), 0) as gross_revenue,
        coalesce(-sum(case when is_return then total_reporting end), 0) as returned_revenue
    from orders_to_date
    group by order_month

)

select
    months.calendar_month,
    cast(coalesce(buyer_summary.buyers, 0) as bigint) as buyers,
    cast(coalesce(buyer_summary.new_buyers, 0) as bigint) as new_buyers,
    cast(coalesce(buyer_summary.returning_buyers, 0) as bigint) as returning_buyers,
    cast(coalesce(order_summary.orders, 0) as bigint) as orders,
    cast(coalesce(order_summary.return_orders, 0) as bigint) as return_orders,
    cast(coalesce(order_summary.gross_revenue, 0) as decimal(18, 2)) as gross_revenue,
    cast(coalesce(order_summary.returned_revenue, 0) as decimal(18, 2)) as returned_revenue
from months
left join buyer_summary on months.calendar_month = buyer_summary.order_month
left join order_summary on months.calendar_month = order_summary.order_month
