{{ config(unique_key='event_id') }}

{% call with_code_fingerprint() %}
with

events as (

    select * from {{ ref('base_web__events') }} as base_rows
    where base_rows.reject_reason is null {{ keys_to_rebuild('base_rows') }}

),

{# The tracker delivers at least once: keep the first delivery of each message. #}
first_deliveries as (

    select
        *,
        row_number() over (
            partition by event_id
            order by received_at asc nulls last, loaded_at asc, source_file asc, source_row asc
        ) as delivery_rank
    from events

)

select
    ---------- ids
    event_id,
    anonymous_id,
    account_id,
    content_id,
    sku,

    ---------- strings
    event_type,
    event_name,
    email,
    {{ canonical_email('email') }} as email_canonical,
    page_url,
    page_path,
    page_title,
    referrer_url,
    utm_source,
    utm_medium,
    utm_campaign,
    utm_term,
    utm_content,
    user_agent,
    ip_address,
    content_category,
    properties,

    ---------- timestamps
    event_at,
    received_at,

    ---------- lineage
    source_record_key,
    source_file,
    source_row,
    loaded_at,
    code_fingerprint as base_code_fingerprint

from first_deliveries
where delivery_rank = 1
{% endcall %}
