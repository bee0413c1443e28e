{#
    Conversions: sale orders of resolved persons (`int_customers__orders`), in any channel
    (web, app, store), with their total in the reporting currency (var
    `cdp_reporting_currency`) as revenue, so conversions in different currencies add up.
    Returns are not negative conversions: refunds are a revenue question, not an attribution
    one. Orders without a person cannot be tied to any touch and are not in the input.
#}
with

orders as (

    select * from {{ ref('int_customers__orders') }}
    where not is_return

)

select
    ---------- ids
    order_id as conversion_id,
    person_id,

    ---------- strings
    channel as order_channel,
    currency as order_currency,

    ---------- numerics
    total_reporting as revenue,
    total as order_revenue,

    ---------- timestamps
    ordered_at as converted_at

from orders
where ordered_at is not null
