{#
    One row per suppressed identifier hash in force: erased persons' identifiers whose
    request was not withdrawn. Staging's base models drop every row carrying one.
#}
with

suppressions as (

    {{ source_rows_or_none('privacy', 'suppressions', {
        'request_id': 'varchar', 'id_type': 'varchar', 'identifier_hash': 'varchar',
        'added_at': 'timestamp'}) }}

),

withdrawn as (

    select request_id from {{ ref('stg_privacy__request_events') }}
    where event = 'withdrawn'

)

select
    id_type,
    identifier_hash,
    min(added_at) as suppressed_since
from suppressions
where request_id not in (select withdrawn.request_id from withdrawn)
group by id_type, identifier_hash
