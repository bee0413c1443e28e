{#
    One row per person the ESP ever emailed. Rates are per message (a campaign to one
    address) rather than per event, so re-opening one email does not inflate the open rate;
    a message counts as delivered when the ESP said so or the person opened it (pixels only
    fire on delivered mail).
#}
with

record_persons as (

    select * from {{ ref('int_identity__record_persons') }}
    where
        source_table = 'esp_email_events'
        and person_id is not null
        and {{ in_person_scope('person_id') }}

),

email_events as (

    select
        record_persons.person_id,
        coalesce(events.campaign_id, '') || '|' || events.email_canonical as message_key,
        events.event_type,
        events.bounce_type,
        events.occurred_at
    from {{ ref('stg_esp__email_events') }} as events
    inner join record_persons on events.source_record_key = record_persons.source_record_key

),

messages as (

    select
        person_id,
        message_key,
        max(case when event_type in ('delivered', 'open', 'click') then 1 else 0 end)
            as is_delivered,
        max(case when event_type = 'open' then 1 else 0 end) as is_opened,
        max(case when event_type = 'click' then 1 else 0 end) as is_clicked
    from email_events
    group by person_id, message_key

),

message_summary as (

    select
        person_id,
        count(*) as emails_sent,
        cast(sum(is_delivered) as bigint) as emails_delivered,
        cast(sum(is_opened) as bigint) as emails_opened,
        cast(sum(is_clicked) as bigint) as emails_clicked
    from messages
    group by person_id

),

event_summary as (

    select
        person_id,
        max(case when event_type = 'open' then occurred_at end) as last_email_open_at,
        max(case when event_type = 'click' then occurred_at end) as last_email_click_at,
        max(case when event_type = 'unsubscribe' then 1 else 0 end) = 1 as has_unsubscribed,
        max(case when event_type = 'spam_complaint' then 1 else 0 end) = 1
            as has_complained,
        max(case when bounce_type = 'hard' then 1 else 0 end) = 1 as is_hard_bounced,
        count(case when bounce_type = 'soft' then 1 end) as soft_bounces
    from email_events
    group by person_id

)

select
    message_summary.person_id,
    message_summary.emails_sent,
    message_summary.emails_delivered,
    message_summary.emails_opened,
    message_summary.emails_clicked,
    cast(
        message_summary.emails_opened * 1.0 / nullif(message_summary.emails_delivered, 0)
        as decimal(5, 4)
    ) as email_open_rate,
    cast(
        message_summary.emails_clicked * 1.0 / nullif(message_summary.emails_delivered, 0)
        as decimal(5, 4)
    ) as email_click_rate,
    event_summary.last_email_open_at,
    event_summary.last_email_click_at,
    event_summary.has_unsubscribed,
    event_summary.has_complained,
    event_summary.is_hard_bounced,
    event_summary.soft_bounces
from message_summary
inner join event_summary on message_summary.person_id = event_summary.person_id
