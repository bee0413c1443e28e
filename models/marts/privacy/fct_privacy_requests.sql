{#
    One row per forget request: when it arrived, was resolved through the ID graph, was
    erased from the warehouse and was confirmed by every destination that held its persons,
    and whether it is past the SLA (var `cdp_privacy_sla_days`) unconfirmed.
#}
{%- set sla_days = checked_number(var('cdp_privacy_sla_days'), 'var cdp_privacy_sla_days',
                                  integer=true, minimum=1) -%}

with

requests as (

    select * from {{ ref('stg_privacy__deletion_requests') }}

),

events as (

    select
        request_id,
        min(case when event = 'resolved' then event_at end) as resolved_at,
        max(case when event = 'resolved' then row_count end) as persons_found,
        min(case when event = 'erased' then event_at end) as erased_at,
        min(case when event = 'withdrawn' then event_at end) as withdrawn_at
    from {{ ref('stg_privacy__request_events') }}
    group by request_id

),

deliveries as (

    select
        request_id,
        count(*) as destinations_owed,
        count(confirmed_at) as destinations_confirmed,
        max(confirmed_at) as last_confirmed_at
    from {{ ref('fct_privacy_request_deliveries') }}
    group by request_id

),

progress as (

    select
        requests.*,
        events.resolved_at,
        events.persons_found,
        events.erased_at,
        events.withdrawn_at,
        coalesce(deliveries.destinations_owed, 0) as destinations_owed,
        coalesce(deliveries.destinations_confirmed, 0) as destinations_confirmed,
        case
            when
                events.erased_at is not null
                and coalesce(deliveries.destinations_owed, 0)
                = coalesce(deliveries.destinations_confirmed, 0)
                then greatest(
                    events.erased_at, coalesce(deliveries.last_confirmed_at, events.erased_at)
                )
        end as completed_at,
        {{ dbt.dateadd('day', sla_days, 'requests.requested_at') }} as sla_due_at
    from requests
    left join events on requests.request_id = events.request_id
    left join deliveries on requests.request_id = deliveries.request_id

)

select
    request_id,
    id_type,
    origin,
    requested_at,
    received_at,
    resolved_at,
    persons_found,
    erased_at,
    destinations_owed,
    destinations_confirmed,
    completed_at,
    withdrawn_at,
    case
        when withdrawn_at is not null then 'withdrawn'
        when completed_at is not null then 'completed'
        when erased_at is not null then 'awaiting_destinations'
        when resolved_at is not null then 'resolved'
        else 'received'
    end as status,
    cast(sla_due_at as timestamp) as sla_due_at,
    coalesce(
        completed_at is null
        and withdrawn_at is null
        and sla_due_at < {{ dbt.current_timestamp() }},
        false
    ) as is_overdue
from progress
