{#
    The name each person's golden record shows, from every source that declares a `name`
    attribute in var `cdp_identity_sources`: first and last name always from one record
    (never a first name from one source glued to a last name from another). A source that
    only has a full name (help-desk requester names) is split at the first space.
#}
with

record_persons as (

    select * from {{ ref('int_identity__record_persons') }}
    where person_id is not null and {{ in_person_scope('person_id') }}

),

names as (

    {{ identity_source_attributes('name') }}

),

candidates as (

    select
        record_persons.person_id,
        names.source_table,
        names.source_record_key,
        names.observed_at,
        names.first_name,
        names.last_name,
        lower(coalesce(names.first_name, '') || ' ' || coalesce(names.last_name, ''))
            as match_key,
        case when names.first_name is null then 0 else 1 end
        + case when names.last_name is null then 0 else 1 end as completeness
    from names
    inner join record_persons
        on
            names.source_table = record_persons.source_table
            and names.source_record_key = record_persons.source_record_key
    where names.first_name is not null or names.last_name is not null

),

{{ survivorship_pick('name') }}

select
    person_id,
    first_name,
    last_name,
    source_table as name_source,
    observed_at as name_observed_at,
    distinct_values as names_seen
from ranked
where survivor_rank = 1
