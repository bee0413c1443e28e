{#
    The phone (E.164) each person's golden record shows; blocklisted junk numbers never win.
    A CRM contact's mobile number is offered before its landline.
#}
with

record_persons as (

    select * from {{ ref('int_identity__record_persons') }}
    where person_id is not null

),

phones as (

    select
        'crm_contacts' as source_table,
        source_record_key,
        coalesce(updated_at, created_at) as observed_at,
        coalesce(mobile_phone_e164, phone_e164) as phone
    from {{ ref('stg_crm__contacts') }}

    union all

    select
        'shop_orders' as source_table,
        source_record_key,
        ordered_at as observed_at,
        phone_e164 as phone
    from {{ ref('stg_shop__orders') }}

    union all

    select
        'helpdesk_tickets' as source_table,
        source_record_key,
        created_at as observed_at,
        phone_e164 as phone
    from {{ ref('stg_helpdesk__tickets') }}

),

blocked_phones as (

    select id_value from {{ ref('int_identity__identifiers') }}
    where id_type = 'phone' and block_reason is not null

),

candidates as (

    select
        record_persons.person_id,
        phones.source_table,
        phones.source_record_key,
        phones.observed_at,
        phones.phone,
        phones.phone as match_key,
        1 as completeness
    from phones
    inner join record_persons
        on
            phones.source_table = record_persons.source_table
            and phones.source_record_key = record_persons.source_record_key
    left join blocked_phones on phones.phone = blocked_phones.id_value
    where phones.phone is not null and blocked_phones.id_value is null

),

{{ survivorship_pick('phone') }}

select
    person_id,
    phone,
    source_table as phone_source,
    observed_at as phone_observed_at,
    distinct_values as phones_seen
from ranked
where survivor_rank = 1
