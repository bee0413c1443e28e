{#
    The name each person's golden record shows: first and last name always from one record
    (never a first name from one source glued to a last name from another). Help-desk
    requester names are split at the first space.
#}
with

record_persons as (

    select * from {{ ref('int_identity__record_persons') }}
    where person_id is not null

),

names as (

    select
        'crm_contacts' as source_table,
        source_record_key,
        coalesce(updated_at, created_at) as observed_at,
        first_name,
        last_name
    from {{ ref('stg_crm__contacts') }}

    union all

    select
        'helpdesk_tickets' as source_table,
        source_record_key,
        created_at as observed_at,
        split_part(trim(requester_name), ' ', 1) as first_name,
        nullif(
            trim(substring(
                trim(requester_name), length(split_part(trim(requester_name), ' ', 1)) + 1
            )),
            ''
        ) as last_name
    from {{ ref('stg_helpdesk__tickets') }}
    where requester_name is not null

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
