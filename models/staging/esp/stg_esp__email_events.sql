{{ config(unique_key='email_event_id') }}

{% call with_code_fingerprint() %}
with

email_events as (

    select * from {{ ref('base_esp__email_events') }} as base_rows
    where base_rows.reject_reason is null {{ keys_to_rebuild('base_rows') }}

),

{# ESP webhooks are at-least-once: keep the first row of each event. #}
first_deliveries as (

    select
        *,
        row_number() over (
            partition by email_event_id
            order by loaded_at asc, source_file asc, source_row asc
        ) as delivery_rank
    from email_events

)

select
    ---------- ids
    email_event_id,
    campaign_id,

    ---------- strings
    email,
    {{ canonical_email('email') }} as email_canonical,
    event_type,
    campaign_name,
    clicked_url,
    bounce_type,

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
