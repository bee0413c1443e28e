{# The date of birth each person's golden record shows. #}
with

record_persons as (

    select * from {{ ref('int_identity__record_persons') }}
    where source_table = 'crm_contacts' and person_id is not null

),

candidates as (

    select
        record_persons.person_id,
        'crm_contacts' as source_table,
        contacts.source_record_key,
        coalesce(contacts.updated_at, contacts.created_at) as observed_at,
        contacts.date_of_birth,
        cast(contacts.date_of_birth as {{ dbt.type_string() }}) as match_key,
        1 as completeness
    from {{ ref('stg_crm__contacts') }} as contacts
    inner join record_persons on contacts.source_record_key = record_persons.source_record_key
    where contacts.date_of_birth is not null

),

{{ survivorship_pick('date_of_birth') }}

select
    person_id,
    date_of_birth,
    source_table as date_of_birth_source,
    observed_at as date_of_birth_observed_at,
    distinct_values as birth_dates_seen
from ranked
where survivor_rank = 1
