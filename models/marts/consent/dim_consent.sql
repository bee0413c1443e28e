{#
    Consent as it stands: one row per person × purpose × channel with at least one event. The
    status is the event in force in `fct_consent_events` (latest wins, a revocation wins a
    tie), so the golden record, audiences and every sync's consent filter read one rule.
    Events without a person are not here (no one to grant anything); they stay in the ledger.
#}
with

person_events as (

    select * from {{ ref('fct_consent_events') }}
    where person_id is not null

),

in_force as (

    select * from person_events
    where is_in_force

),

histories as (

    select
        person_id,
        purpose,
        channel,
        count(*) as consent_events,
        sum(case when status = 'revoked' then 1 else 0 end) as revocations,
        min(case when status = 'granted' then occurred_at end) as first_granted_at,
        max(case when status = 'revoked' then occurred_at end) as last_revoked_at,
        min(occurred_at) as first_recorded_at
    from person_events
    group by person_id, purpose, channel

)

select
    ---------- ids
    in_force.person_id,
    in_force.consent_event_key as deciding_event_key,

    ---------- strings
    in_force.purpose,
    in_force.channel,
    in_force.status,
    in_force.consent_source,
    in_force.policy_version,
    in_force.source_table,

    ---------- numerics
    cast(histories.consent_events as bigint) as consent_events,
    cast(histories.revocations as bigint) as revocations,

    ---------- booleans
    in_force.is_granted,

    ---------- timestamps
    in_force.occurred_at as status_since,
    histories.first_recorded_at,
    histories.first_granted_at,
    histories.last_revoked_at

from in_force
inner join histories
    on
        in_force.person_id = histories.person_id
        and in_force.purpose = histories.purpose
        and in_force.channel = histories.channel
