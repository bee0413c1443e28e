{#
    One row per person who ever ordered or filled a cart: orders, revenue in the reporting
    currency, returns and carts. Average order value and return rate are over sales orders;
    revenue net of returns is what RFM and CLV value a customer by.
#}
with

orders as (

    select * from {{ ref('int_customers__orders') }}

),

carts as (

    select * from {{ ref('int_traits__carts') }}

),

as_of as (

    select * from {{ ref('int_customers__as_of') }}

),

order_summary as (

    select
        person_id,
        count(case when not is_return then 1 end) as orders,
        count(case when is_return then 1 end) as return_orders,
        cast(
            coalesce(sum(case when not is_return then total_reporting end), 0) as decimal(18, 2)
        ) as gross_revenue,
        cast(
            coalesce(-sum(case when is_return then total_reporting end), 0) as decimal(18, 2)
        ) as returned_revenue,
        min(case when not is_return then ordered_at end) as first_order_at,
        max(case when not is_return then ordered_at end) as last_order_at,
        {{ sorted_list_agg('channel') }} as order_channels
    from orders
    group by person_id

),

cart_summary as (

    select
        person_id,
        count(*) as carts,
        count(case when cart_status = 'abandoned' then 1 end) as abandoned_carts,
        max(case when cart_status = 'abandoned' then last_event_at end)
            as last_abandoned_cart_at
    from carts
    group by person_id

),

people as (

    select person_id from order_summary
    union
    select person_id from cart_summary

)

select
    people.person_id,
    coalesce(order_summary.orders, 0) as orders,
    coalesce(order_summary.return_orders, 0) as return_orders,
    coalesce(order_summary.gross_revenue, 0) as gross_revenue,
    coalesce(order_summary.returned_revenue, 0) as returned_revenue,
    cast(
        coalesce(order_summary.gross_revenue, 0) - coalesce(order_summary.returned_revenue, 0)
        as decimal(18, 2)
    ) as net_revenue,
    {{ decimal_ratio('order_summary.gross_revenue', 'nullif(order_summary.orders, 0)') }}
        as average_order_value,
    {{ decimal_ratio(
        'order_summary.return_orders * 1.0', 'nullif(order_summary.orders, 0)', 7, 4
    ) }} as return_rate,
    order_summary.first_order_at,
    order_summary.last_order_at,
    cast(
        {{ dbt.datediff('order_summary.last_order_at', 'as_of.as_of_at', 'day') }}
        as bigint
    ) as days_since_last_order,
    order_summary.order_channels,
    coalesce(cart_summary.carts, 0) as carts,
    coalesce(cart_summary.abandoned_carts, 0) as abandoned_carts,
    {{ decimal_ratio(
        'cart_summary.abandoned_carts * 1.0', 'nullif(cart_summary.carts, 0)', 5, 4
    ) }} as cart_abandonment_rate,
    cart_summary.last_abandoned_cart_at,
    cast(
        {{ dbt.datediff('cart_summary.last_abandoned_cart_at', 'as_of.as_of_at', 'day') }}
        as bigint
    ) as days_since_last_abandoned_cart
from people
cross join as_of
left join order_summary on people.person_id = order_summary.person_id
left join cart_summary on people.person_id = cart_summary.person_id
