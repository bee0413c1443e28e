{{ config(unique_key='consent_event_id') }}

{% call with_code_fingerprint() %}
with

consent_events as (

    select * from {{ ref('base_consent__consent_events') }} as base_rows
    where base_rows.reject_reason is null {{ keys_to_rebuild('base_rows') }}

),

{# The consent platform re-sends events on retry: keep the first row of each. #}
first_deliveries as (

    select
        *,
        row_number() over (
            partition by consent_event_id
            order by loaded_at asc, source_file asc, source_row asc
        ) as delivery_rank
    from consent_events

)

select
    ---------- ids
    consent_event_id,
    account_id,
    anonymous_id,

    ---------- strings
    email,
    {{ canonical_email('email') }} as email_canonical,
    purpose,
    channel,
    status,
    consent_source,
    policy_version,

    ---------- booleans
    status = 'granted' as is_granted,

    ---------- timestamps
    occurred_at,

    ---------- lineage
    source_record_key,
    source_file,
    source_row,
    loaded_at,
    code_fingerprint as base_code_fingerprint

from first_deliveries
where delivery_rank = 1
{% endcall %}
