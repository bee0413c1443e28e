{#
    One row per person: where they are in the customer lifecycle. Anonymous visitors hold only
    device-level identifiers (cookies, devices, push tokens); known leads can be addressed
    (email, phone, account, CRM or loyalty id) but never ordered; customers ordered once,
    repeat customers at least `repeat_min_orders` times; a customer whose last order is older
    than `lapsed_after_days` is lapsed, older than `churned_after_days` churned. The var's
    numbers are checked integers (checked_number), never pasted unchecked.
#}
{%- set lifecycle = {} -%}
{%- for key in ['repeat_min_orders', 'lapsed_after_days', 'churned_after_days'] -%}
    {%- do lifecycle.update({key: checked_number(
        var('cdp_lifecycle')[key], 'var cdp_lifecycle.' ~ key, integer=true, minimum=0)}) -%}
{%- endfor %}

with

persons as (

    select * from {{ ref('int_customers__persons') }}

),

identifiers as (

    select * from {{ ref('int_customers__identifier_lists') }}

),

commerce as (

    select * from {{ ref('int_traits__commerce') }}

),

people as (

    select
        persons.person_id,
        coalesce(
            identifiers.email_count + identifiers.phone_count + identifiers.user_id_count
            + identifiers.crm_id_count + identifiers.loyalty_id_count > 0,
            false
        ) as is_known,
        coalesce(commerce.orders, 0) as orders,
        commerce.days_since_last_order
    from persons
    left join identifiers on persons.person_id = identifiers.person_id
    left join commerce on persons.person_id = commerce.person_id

)

select
    person_id,
    is_known,
    case
        when orders > 0 and days_since_last_order > {{ lifecycle['churned_after_days'] }}
            then 'churned'
        when orders > 0 and days_since_last_order > {{ lifecycle['lapsed_after_days'] }}
            then 'lapsed'
        when orders >= {{ lifecycle['repeat_min_orders'] }} then 'repeat_customer'
        when orders > 0 then 'customer'
        when is_known then 'known_lead'
        else 'anonymous_visitor'
    end as lifecycle_stage
from people
