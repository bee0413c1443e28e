{# One row per thing that happened to a forget request (`cdp.privacy.store`). #}
with

events as (

    {{ source_rows_or_none('privacy', 'request_events', {
        'request_id': 'varchar', 'event': 'varchar', 'sync_name': 'varchar',
        'subject_hash': 'varchar', 'row_count': 'bigint', 'event_at': 'timestamp'}) }}

)

select
    request_id,
    event,
    sync_name,
    subject_hash,
    row_count,
    event_at
from events
