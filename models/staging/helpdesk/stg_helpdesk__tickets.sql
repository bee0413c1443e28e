{{ config(unique_key='ticket_id') }}

{% call with_code_fingerprint() %}
with

tickets as (

    select * from {{ ref('base_helpdesk__tickets') }} as base_rows
    where base_rows.reject_reason is null {{ keys_to_rebuild('base_rows') }}

),

{# Tickets are re-exported as they progress: the last row carries the latest status. #}
latest_versions as (

    select
        *,
        row_number() over (
            partition by ticket_id
            order by loaded_at desc, source_file desc, source_row desc
        ) as version_rank
    from tickets

)

select
    ---------- ids
    ticket_id,

    ---------- strings
    email,
    {{ canonical_email('email') }} as email_canonical,
    phone_e164,
    requester_name,
    channel,
    topic,
    subject,
    status,
    priority,

    ---------- numerics
    csat_score,

    ---------- timestamps
    created_at,
    solved_at,

    ---------- lineage
    source_record_key,
    source_file,
    source_row,
    loaded_at,
    code_fingerprint as base_code_fingerprint

from latest_versions
where version_rank = 1
{% endcall %}
