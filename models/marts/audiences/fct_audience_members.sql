{#
    Current audience members: one row per person × audience with an open membership (the view
    reverse-ETL syncs and BI read; held-out people are included and flagged).
#}
select
    membership_id,
    person_id,
    audience_name,
    variant,
    is_holdout,
    entered_at
from {{ ref('fct_audience_memberships') }}
where exited_at is null
