{#
    One row per calendar month, from the first order month to the as-of month: the spine the
    KPI marts report on, so every month gets a row even when nobody bought or visited. Only
    orders up to `as_of_at` count, and the as-of month ends at `as_of_at`, which keeps a pinned
    `cdp_as_of` reproducing past months. Month offsets come from cross-joined digits rather
    than `generate_series`, so the spine has no gaps and works on every engine.
#}
with

orders as (

    select * from {{ ref('int_customers__orders') }}

),

as_of as (

    select * from {{ ref('int_customers__as_of') }}

),

digits as (

    {% for digit in range(10) %}
    select {{ digit }} as digit
    {{ 'union all' if not loop.last }}
    {% endfor %}

),

month_numbers as (

    select hundreds.digit * 100 + tens.digit * 10 + units.digit as month_number
    from digits as hundreds
    cross join digits as tens
    cross join digits as units

),

spine_bounds as (

    select
        min(cast({{ dbt.date_trunc('month', 'orders.ordered_at') }} as date)) as first_month,
        cast({{ dbt.date_trunc('month', 'as_of.as_of_at') }} as date) as last_month,
        as_of.as_of_at
    from orders
    cross join as_of
    where orders.ordered_at <= as_of.as_of_at
    group by as_of.as_of_at

),

spine as (

    select
        cast({{ dbt.dateadd('month', 'month_numbers.month_number', 'spine_bounds.first_month') }}
            as date) as calendar_month,
        spine_bounds.last_month,
        spine_bounds.as_of_at
    from month_numbers
    cross join spine_bounds

)

select
    calendar_month,
    cast(calendar_month as {{ dbt.type_timestamp() }}) as month_start_at,
    cast({{ dbt.dateadd('month', 1, 'calendar_month') }} as {{ dbt.type_timestamp() }})
        as next_month_start_at,
    least(
        cast({{ dbt.dateadd('month', 1, 'calendar_month') }} as {{ dbt.type_timestamp() }}),
        as_of_at
    ) as month_end_at
from spine
where calendar_month <= last_month
