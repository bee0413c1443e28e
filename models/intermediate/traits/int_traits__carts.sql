{#
    One row per shopping cart of a resolved person: their web "Product Added" and "Checkout
    Started" events, cut into carts wherever more than `cart_abandonment_hours` pass without
    one. A cart is `purchased` when the person orders (any channel) between its first event
    and that many hours after its last, `open` while that window is still running at the
    as-of instant, else `abandoned`.
#}
{% set hours = checked_number(var('cdp_traits')['cart_abandonment_hours'],
    'var cdp_traits.cart_abandonment_hours', integer=true, minimum=0) %}

with

record_persons as (

    select * from {{ ref('int_identity__record_persons') }}
    where source_table = 'web_events' and person_id is not null

),

as_of as (

    select * from {{ ref('int_customers__as_of') }}

),

purchases as (

    select
        person_id,
        ordered_at as purchased_at
    from {{ ref('int_customers__orders') }}
    where not is_return

    union all

    select
        record_persons.person_id,
        web.event_at as purchased_at
    from {{ ref('stg_web__events') }} as web
    inner join record_persons on web.source_record_key = record_persons.source_record_key
    where web.event_name = 'Order Completed'

),

cart_events as (

    select
        record_persons.person_id,
        web.event_at,
        web.event_name,
        case
            when
                lag(web.event_at) over (
                    partition by record_persons.person_id order by web.event_at
                ) >= {{ dbt.dateadd('hour', -hours, 'web.event_at') }}
                then 0
            else 1
        end as is_cart_start
    from {{ ref('stg_web__events') }} as web
    inner join record_persons on web.source_record_key = record_persons.source_record_key
    where web.event_name in ('Product Added', 'Checkout Started')

),

numbered as (

    select
        *,
        sum(is_cart_start) over (
            partition by person_id
            order by event_at
            rows between unbounded preceding and current row
        ) as cart_number
    from cart_events

),

carts as (

    select
        person_id,
        cart_number,
        min(event_at) as started_at,
        max(event_at) as last_event_at,
        count(case when event_name = 'Product Added' then 1 end) as products_added,
        max(case when event_name = 'Checkout Started' then 1 else 0 end) = 1
            as reached_checkout
    from numbered
    group by person_id, cart_number

),

converted as (

    select distinct
        carts.person_id,
        carts.cart_number
    from carts
    inner join purchases
        on
            carts.person_id = purchases.person_id
            and carts.started_at <= purchases.purchased_at
            and {{ dbt.dateadd('hour', hours, 'carts.last_event_at') }} >= purchases.purchased_at

)

select
    carts.person_id,
    carts.cart_number,
    carts.started_at,
    carts.last_event_at,
    carts.products_added,
    carts.reached_checkout,
    case
        when converted.cart_number is not null then 'purchased'
        when {{ dbt.dateadd('hour', hours, 'carts.last_event_at') }} > as_of.as_of_at then 'open'
        else 'abandoned'
    end as cart_status
from carts
cross join as_of
left join converted
    on
        carts.person_id = converted.person_id
        and carts.cart_number = converted.cart_number
