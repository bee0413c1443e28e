{#
    One row per month of the KPI spine: the persons who visited the web site or the app, and
    how many of them also bought that month on any sales channel. Only person-initiated
    activities count as visits, and only visits and sales up to `as_of_at` count. A return is
    not a sale.
#}
with

activities as (

    select * from {{ ref('int_customers__activities') }}

),

orders as (

    select * from {{ ref('int_customers__orders') }}

),

as_of as (

    select * from {{ ref('int_customers__as_of') }}

),

months as (

    select * from {{ ref('int_kpis__months') }}

),

visitor_months as (

    select distinct
        activities.person_id,
        cast({{ dbt.date_trunc('month', 'activities.activity_at') }} as date) as visit_month
    from activities
    cross join as_of
    where
        activities.is_person_initiated
        and activities.channel in ('web', 'app')
        and activities.activity_at <= as_of.as_of_at

),

buyer_months as (

    select distinct
        orders.person_id,
        cast({{ dbt.date_trunc('month', 'orders.ordered_at') }} as date) as order_month
    from orders
    cross join as_of
    where not orders.is_return and orders.ordered_at <= as_of.as_of_at

),

visitor_summary as (

    select
        visitor_months.visit_month,
        count(*) as visitors,
        count(buyer_months.person_id) as converted_visitors
    from visitor_months
    left join buyer_months
        on
            visitor_months.person_id = buyer_months.person_id
            and visitor_months.visit_month = buyer_months.order_month
    group by visitor_months.visit_month

)

select
    months.calendar_month,
    cast(coalesce(visitor_summary.visitors, 0) as bigint) as visitors,
    cast(coalesce(visitor_summary.converted_visitors, 0) as bigint) as converted_visitors
from months
left join visitor_summary on months.calendar_month = visitor_summary.visit_month
