select
    {{ surrogate_key(['run_at', 'change_type', 'from_person_id', 'to_person_id']) }}
        as change_id,
    run_at,
    change_type,
    from_person_id,
    to_person_id,
    identifiers_moved,
    cause,
    cause_link_type,
    cause_source_table,
    cause_source_record_key
from {{ ref('int_identity__person_changes') }}
