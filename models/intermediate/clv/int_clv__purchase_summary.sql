{#
    One row per customer: the purchase history summary the BG/NBD and Gamma-Gamma models fit,
    in days. As in the models' papers, purchases are counted per day (two orders on one day
    are one purchase): frequency is the number of purchase days after the first, recency the
    days from the first to the last purchase day, t the days from the first purchase day to
    the as-of date, monetary value the mean daily spend over the repeat purchase days (null
    without repeats). Spend is sales in the reporting currency, before returns.
#}
with

orders as (

    select * from {{ ref('int_customers__orders') }}
    where not is_return

),

as_of as (

    select * from {{ ref('int_customers__as_of') }}

),

purchase_days as (

    select
        orders.person_id,
        cast(orders.ordered_at as date) as purchase_day,
        sum(orders.total_reporting) as day_spend
    from orders
    cross join as_of
    where orders.ordered_at <= as_of.as_of_at
    group by orders.person_id, cast(orders.ordered_at as date)

),

ranked_days as (

    select
        *,
        row_number() over (partition by person_id order by purchase_day) as day_number
    from purchase_days

)

select
    ranked_days.person_id,
    count(*) - 1 as frequency,
    {{ dbt.datediff('min(ranked_days.purchase_day)', 'max(ranked_days.purchase_day)', 'day') }}
        as recency_days,
    {{ dbt.datediff('min(ranked_days.purchase_day)', 'cast(as_of.as_of_at as date)', 'day') }}
        as t_days,
    cast(
        avg(case when ranked_days.day_number > 1 then ranked_days.day_spend end)
        as decimal(18, 4)
    ) as monetary_value
from ranked_days
cross join as_of
group by ranked_days.person_id, as_of.as_of_at
