{#
    One row per month of the KPI spine: the customers active at its start and, of those, the
    ones still active at its end. This is the lifecycle rule. A customer is active at an
    instant while their last sale is at most `lapsed_after_days` calendar days before it,
    counted the way `days_since_last_order` counts them. The month end is the next month's
    start, except for the as-of month, which ends at `as_of_at`. A return is not a sale, and
    only sales up to `as_of_at` count.
#}
{% set lapsed_after_days = checked_number(var('cdp_lifecycle')['lapsed_after_days'],
    'var cdp_lifecycle.lapsed_after_days', integer=true, minimum=0) %}

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

sales as (

    select
        orders.person_id,
        orders.ordered_at
    from orders
    cross join as_of
    where not orders.is_return and orders.ordered_at <= as_of.as_of_at

),

{#
    A sale from `active_from_at` (inclusive) to the month start makes a customer active at the
    start; one from `still_active_from_at` (inclusive) to the month end keeps them active at
    the end. Both are day-aligned, as `days_since_last_order` counts calendar days.
#}
activity_windows as (

    select
        calendar_month,
        month_start_at,
        next_month_start_at,
        {{ dbt.dateadd('day', -lapsed_after_days, 'month_start_at') }} as active_from_at,
        {{ dbt.dateadd('day', -lapsed_after_days, dbt.date_trunc('day', 'month_end_at')) }}
            as still_active_from_at
    from months

),

active_at_start as (

    select distinct
        activity_windows.calendar_month,
        sales.person_id
    from sales
    inner join activity_windows
        on
            sales.ordered_at >= activity_windows.active_from_at
            and sales.ordered_at < activity_windows.month_start_at

),

active_at_end as (

    select distinct
        activity_windows.calendar_month,
        sales.person_id
    from sales
    inner join activity_windows
        on
            sales.ordered_at >= activity_windows.still_active_from_at
            and sales.ordered_at < activity_windows.next_month_start_at

),

retention_summary as (

    select
        active_at_start.calendar_month,
        count(*) as active_customers_at_start,
        count(active_at_end.person_id) as retained_customers
    from active_at_start
    left join active_at_end
        on
            active_at_start.calendar_month = active_at_end.calendar_month
            and active_at_start.person_id = active_at_end.person_id
    group by active_at_start.calendar_month

)

select
    months.calendar_month,
    cast(coalesce(retention_summary.active_customers_at_start, 0) as bigint)
        as active_customers_at_start,
    cast(coalesce(retention_summary.retained_customers, 0) as bigint) as retained_customers
from months
left join retention_summary on months.calendar_month = retention_summary.calendar_month
