{#
    Every forget request is completed (erased, and acknowledged by every destination that held
    its persons) or withdrawn within var `cdp_privacy_sla_days` of when it was made. A row
    here is a request past its deadline: see its status and `fct_privacy_request_deliveries`
    for the destination still owing a removal.
#}
{{ config(meta={'dagster': {'ref': {'name': 'fct_privacy_requests'}}}) }}
select
    request_id,
    status,
    requested_at,
    sla_due_at,
    destinations_owed,
    destinations_confirmed
from {{ ref('fct_privacy_requests') }}
where is_overdue
