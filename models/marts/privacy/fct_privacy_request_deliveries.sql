{#
    One row per forget request x sync that held one of its persons when the request was
    resolved: how many persons the destination owed a removal, how many it acknowledged.
#}
with

events as (

    select * from {{ ref('stg_privacy__request_events') }}

),

owed as (

    select distinct
        request_id,
        sync_name,
        subject_hash,
        event_at
    from events
    where event = 'delivery_required'

),

confirmations as (

    select
        request_id,
        sync_name,
        subject_hash,
        min(event_at) as confirmed_at
    from events
    where event = 'delivery_confirmed'
    group by request_id, sync_name, subject_hash

),

per_person as (

    select
        owed.request_id,
        owed.sync_name,
        owed.subject_hash,
        min(owed.event_at) as owed_at,
        min(confirmations.confirmed_at) as confirmed_at
    from owed
    left join confirmations
        on
            owed.request_id = confirmations.request_id
            and owed.sync_name = confirmations.sync_name
            and owed.subject_hash = confirmations.subject_hash
    group by owed.request_id, owed.sync_name, owed.subject_hash

)

select
    request_id || ':' || sync_name as delivery_id,
    request_id,
    sync_name,
    min(owed_at) as owed_at,
    count(*) as persons_owed,
    count(confirmed_at) as persons_confirmed,
    case when count(confirmed_at) = count(*) then max(confirmed_at) end as confirmed_at
from per_person
group by request_id, sync_name
