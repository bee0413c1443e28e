{{ config(unique_key='event_id') }}

{% call with_code_fingerprint() %}
with

events as (

    select * from {{ ref('base_app__events') }} as base_rows
    where base_rows.reject_reason is null {{ keys_to_rebuild('base_rows') }}

),

{# The SDK retries uploads, so an event can arrive twice: keep its first row. #}
first_deliveries as (

    select
        *,
        row_number() over (
            partition by event_id
            order by loaded_at asc, source_file asc, source_row asc
        ) as delivery_rank
    from events

)

select
    ---------- ids
    event_id,
    device_id,
    account_id,
    push_token,
    session_id,
    content_id,

    ---------- strings
    event_name,
    platform,
    app_version,
    content_type,
    genre,
    team,
    artist,
    error_code,

    ---------- numerics
    duration_seconds,

    ---------- timestamps
    event_at,

    ---------- lineage
    source_record_key,
    source_file,
    source_row,
    loaded_at,
    code_fingerprint as base_code_fingerprint

from first_deliveries
where delivery_rank = 1
{% endcall %}
