select
    {{ surrogate_key(['run_at', 'change_type', 'from_person_id', 'to_person_id']) }}
        as change_id,
    *
from {{ ref('int_identity__person_changes') }}
