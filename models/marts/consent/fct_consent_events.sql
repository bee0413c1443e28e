{#
    The consent ledger: every grant and revocation from the consent platform, and every ESP
    unsubscribe or spam complaint (a revocation of marketing by email: the ESP is where most
    people opt out), resolved through the ID graph to its person, whichever identifier
    (email, account, cookie) it arrived on. Per person × purpose × channel one event is in
    force: the latest; on a tie a revocation (when in doubt, do not contact), then the lowest
    event key, so every engine picks the same one. An event whose record has no person (only
    blocked identifiers) is kept with a null person and the reason: never in force, never
    dropped. `dim_consent` reads this table and nothing else.
#}
with

record_persons as (

    select * from {{ ref('int_identity__record_persons') }}

),

platform_events as (

    select
        'consent_events' as source_table,
        consent_event_id as source_event_id,
        source_record_key,
        purpose,
        channel,
        status,
        consent_source,
        policy_version,
        source_file,
        source_row,
        occurred_at
    from {{ ref('stg_consent__consent_events') }}

),

esp_opt_outs as (

    select
        'esp_email_events' as source_table,
        email_event_id as source_event_id,
        source_record_key,
        'marketing' as purpose,
        'email' as channel,
        'revoked' as status,
        'esp_' || event_type as consent_source,
        cast(null as {{ dbt.type_string() }}) as policy_version,
        source_file,
        source_row,
        occurred_at
    from {{ ref('stg_esp__email_events') }}
    where event_type in ('unsubscribe', 'spam_complaint')

),

consent_events as (

    select * from platform_events
    union all
    select * from esp_opt_outs

),

events_resolved_to_persons as (

    select
        {{ surrogate_key(['consent_events.source_table', 'consent_events.source_event_id']) }}
            as consent_event_key,
        record_persons.person_id,
        consent_events.*,
        {# A record missing from the graph would be a bug upstream; it still stays here. #}
        case
            when record_persons.person_id is null
                then coalesce(record_persons.unresolved_reason, 'not in the identity graph')
        end as unresolved_reason
    from consent_events
    left join record_persons
        on
            consent_events.source_table = record_persons.source_table
            and consent_events.source_record_key = record_persons.source_record_key

),

ranked as (

    select
        *,
        row_number() over (
            partition by person_id, purpose, channel
            {# 'revoked' sorts after 'granted': descending puts a revocation first. #}
            order by occurred_at desc, status desc, consent_event_key asc
        ) as recency_rank
    from events_resolved_to_persons

)

select
    ---------- ids
    consent_event_key,
    person_id,
    source_event_id,

    ---------- strings
    purpose,
    channel,
    status,
    consent_source,
    policy_version,
    unresolved_reason,

    ---------- booleans
    status = 'granted' as is_granted,
    person_id is not null and recency_rank = 1 as is_in_force,

    ---------- timestamps
    occurred_at,

    ---------- lineage
    source_table,
    source_record_key,
    source_file,
    source_row

from ranked
