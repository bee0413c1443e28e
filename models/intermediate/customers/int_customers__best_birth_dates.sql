{#
    The date of birth each person's golden record shows, from every source that declares a
    `date_of_birth` attribute in var `cdp_identity_sources`.
#}
with

record_persons as (

    select * from {{ ref('int_identity__record_persons') }}
    where person_id is not null and {{ in_person_scope('person_id') }}

),

birth_dates as (

    {{ identity_source_attributes('date_of_birth') }}

),

candidates as (

    select
        record_persons.person_id,
        birth_dates.source_table,
        birth_dates.source_record_key,
        birth_dates.observed_at,
        birth_dates.date_of_birth,
        cast(birth_dates.date_of_birth as {{ dbt.type_string() }}) as match_key,
        1 as completeness
    from birth_dates
    inner join record_persons
        on
            birth_dates.source_table = record_persons.source_table
            and birth_dates.source_record_key = record_persons.source_record_key
    where birth_dates.date_of_birth is not null

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
