{#
    The retention triangle, with one row per first-order cohort month and months since the
    first order, from 0 up to the as-of month. Each row shows how many of the cohort bought
    again in that month, and what the cohort has been worth per customer so far.
    The cohort is fixed at a customer's first sale, so the cohort size never changes along a
    row. Revenue is net of returns, and a return counts in the month it happens. A return is
    not a purchase, so it never makes a customer active. Only orders up to `as_of_at` count.
    The months come from the shared spine `int_kpis__months`, which gives a row to a month
    when nobody bought.
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

first_sales as (

    select
        person_id,
        min(order_month) as first_order_cohort_month
    from orders_to_date
    where not is_return
    group by person_id

),

cohorts as (

    select
        first_order_cohort_month,
        count(*) as cohort_size
    from first_sales
    group by first_order_cohort_month

),

member_months as (

    select
        first_sales.first_order_cohort_month,
        orders_to_date.order_month as activity_month,
        count(
            distinct case when not orders_to_date.is_return then orders_to_date.person_id end
        ) as active_customers,
        sum(orders_to_date.total_reporting) as net_revenue
    from orders_to_date
    inner join first_sales on orders_to_date.person_id = first_sales.person_id
    group by first_sales.first_order_cohort_month, orders_to_date.order_month

),

joined as (

    select
        cohorts.first_order_cohort_month,
        {{ dbt.datediff('cohorts.first_order_cohort_month', 'months.calendar_month', 'month') }}
            as months_since_first_order,
        months.calendar_month as activity_month,
        cohorts.cohort_size,
        coalesce(member_months.active_customers, 0) as active_customers,
        coalesce(member_months.net_revenue, 0) as net_revenue,
        sum(coalesce(member_months.net_revenue, 0)) over (
            partition by cohorts.first_order_cohort_month
            order by months.calendar_month
            rows between unbounded preceding and current row
        ) as cumulative_net_revenue
    from cohorts
    inner join months on cohorts.first_order_cohort_month <= months.calendar_month
    left join member_months
        on
            cohorts.first_order_cohort_month = member_months.first_order_cohort_month
            and months.calendar_month = member_months.activity_month

)

select
    first_order_cohort_month,
    cast(months_since_first_order as integer) as months_since_first_order,
    activity_month,
    cast(cohort_size as bigint) as cohort_size,
    cast(active_customers as bigint) as active_customers,
    {{ decimal_ratio('active_customers * 1.0', 'cohort_size', 7, 4) }} as retention_rate,
    cast(net_revenue as decimal(18, 2)) as net_revenue,
    cast(cumulative_net_revenue as decimal(18, 2)) as cumulative_net_revenue,
    {{ decimal_ratio('cumulative_net_revenue', 'cohort_size') }}
        as cumulative_net_revenue_per_customer
from joined
