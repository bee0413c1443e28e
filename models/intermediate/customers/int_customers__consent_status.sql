{#
    One row per person × consent purpose × channel: the latest event wins, whichever
    identifier (email, account, cookie) the event came in on. ESP unsubscribes and spam
    complaints are revocations of marketing by email: an ESP is where people most often opt out.
#}
with

record_persons as (

    select * from {{ ref('int_identity__record_persons') }}
    where person_id is not null

),

consent_events as (

    select
        'consent_events' as source_table,
        source_record_key,
        purpose,
        channel,
        status,
        consent_source,
        occurred_at
    from {{ ref('stg_consent__consent_events') }}

    union all

    select
        'esp_email_events' as source_table,
        source_record_key,
        'marketing' as purpose,
        'email' as channel,
        'revoked' as status,
        'esp_' || event_type as consent_source,
        occurred_at
    from {{ ref('stg_esp__email_events') }}
    where event_type in ('unsubscribe', 'spam_complaint')

),

person_events as (

    select
        record_persons.person_id,
        consent_events.*,
        row_number() over (
            partition by record_persons.person_id, consent_events.purpose, consent_events.channel
            {# On a tie a revocation wins: when in doubt, do not contact. #}
            order by consent_events.occurred_at desc, consent_events.status desc,
                consent_events.source_record_key asc
        ) as recency_rank
    from consent_events
    inner join record_persons
        on
            consent_events.source_table = record_persons.source_table
            and consent_events.source_record_key = record_persons.source_record_key

)

select
    person_id,
    purpose,
    channel,
    status,
    status = 'granted' as is_granted,
    consent_source,
    source_table,
    source_record_key,
    occurred_at as status_since
from person_events
where recency_rank = 1
