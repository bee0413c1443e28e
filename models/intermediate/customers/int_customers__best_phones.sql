{#
    The phone (E.164) each person's golden record shows, from every source that declares a
    `phone` attribute in var `cdp_identity_sources` (a list of columns offers the first that
    holds a value: a CRM contact's mobile number before its landline); blocklisted junk
    numbers never win.
#}
with

record_persons as (

    select * from {{ ref('int_identity__record_persons') }}
    where person_id is not null and {{ in_person_scope('person_id') }}

),

source_phones as (

    {{ identity_source_attributes('phone') }}

),

phones as (

    select
        *,
        {{ identity_value('phone', 'phone') }} as match_key
    from source_phones

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
        phones.match_key,
        1 as completeness
    from phones
    inner join record_persons
        on
            phones.source_table = record_persons.source_table
            and phones.source_record_key = record_persons.source_record_key
    left join blocked_phones on phones.match_key = blocked_phones.id_value
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
