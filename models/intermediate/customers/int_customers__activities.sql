{#
    Every clean record of a resolved person as one timeline: what happened, when, on which
    channel and device. First/last seen, engagement and lifecycle traits read it.
    `is_person_initiated` separates what the person did (a page view, an email open, an order,
    a ticket) from what was done to them or recorded about them (an email sent, a CRM import,
    a billing export, a consent record).
#}
with

record_persons as (

    select * from {{ ref('int_identity__record_persons') }}
    where person_id is not null

),

activities as (

    select
        'web_events' as source_table,
        source_record_key,
        event_at as activity_at,
        'web' as channel,
        coalesce(event_name, event_type) as activity_type,
        {{ web_device_type('user_agent') }} as device_platform,
        true as is_person_initiated
    from {{ ref('stg_web__events') }}

    union all

    select
        'app_events' as source_table,
        source_record_key,
        event_at as activity_at,
        'app' as channel,
        event_name as activity_type,
        platform as device_platform,
        true as is_person_initiated
    from {{ ref('stg_app__events') }}

    union all

    select
        'shop_orders' as source_table,
        source_record_key,
        ordered_at as activity_at,
        channel,
        order_type as activity_type,
        cast(null as {{ dbt.type_string() }}) as device_platform,
        true as is_person_initiated
    from {{ ref('stg_shop__orders') }}

    union all

    select
        'esp_email_events' as source_table,
        source_record_key,
        occurred_at as activity_at,
        'email' as channel,
        event_type as activity_type,
        cast(null as {{ dbt.type_string() }}) as device_platform,
        event_type in ('open', 'click', 'unsubscribe', 'spam_complaint') as is_person_initiated
    from {{ ref('stg_esp__email_events') }}

    union all

    select
        'helpdesk_tickets' as source_table,
        source_record_key,
        created_at as activity_at,
        'support' as channel,
        'ticket_' || coalesce(topic, 'other') as activity_type,
        cast(null as {{ dbt.type_string() }}) as device_platform,
        true as is_person_initiated
    from {{ ref('stg_helpdesk__tickets') }}

    union all

    select
        'billing_subscriptions' as source_table,
        source_record_key,
        coalesce(updated_at, cast(started_on as timestamp)) as activity_at,
        'billing' as channel,
        'subscription_' || status as activity_type,
        cast(null as {{ dbt.type_string() }}) as device_platform,
        false as is_person_initiated
    from {{ ref('stg_billing__subscriptions') }}

    union all

    select
        'consent_events' as source_table,
        source_record_key,
        occurred_at as activity_at,
        'consent' as channel,
        'consent_' || status as activity_type,
        cast(null as {{ dbt.type_string() }}) as device_platform,
        {# A banner click is a side effect of a visit (the visit itself is a web event). #}
        false as is_person_initiated
    from {{ ref('stg_consent__consent_events') }}

    union all

    select
        'crm_contacts' as source_table,
        source_record_key,
        coalesce(created_at, updated_at) as activity_at,
        'crm' as channel,
        'contact_created' as activity_type,
        cast(null as {{ dbt.type_string() }}) as device_platform,
        false as is_person_initiated
    from {{ ref('stg_crm__contacts') }}

)

select
    record_persons.person_id,
    activities.source_table,
    activities.source_record_key,
    activities.activity_at,
    activities.channel,
    activities.activity_type,
    activities.device_platform,
    activities.is_person_initiated
from activities
inner join record_persons
    on
        activities.source_table = record_persons.source_table
        and activities.source_record_key = record_persons.source_record_key
where activities.activity_at is not null
