with

tickets as (

    select * from {{ ref('base_helpdesk__tickets') }}
    where reject_reason is null

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
    loaded_at

from latest_versions
where version_rank = 1
