{# One row per forget request: no identifier value, only its declared type (null: any). #}
with

requests as (

    {{ source_rows_or_none('privacy', 'deletion_requests', {
        'request_id': 'varchar', 'id_type': 'varchar', 'origin': 'varchar',
        'requested_at': 'timestamp', 'received_at': 'timestamp'}) }}

)

select
    request_id,
    id_type,
    origin,
    requested_at,
    received_at
from requests
