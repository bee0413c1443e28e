{#
    The email each person's golden record shows, from every source that carries one; junk
    the identity blocklist refuses (test@test.com) never becomes anyone's email.
#}
with

record_persons as (

    select * from {{ ref('int_identity__record_persons') }}
    where person_id is not null

),

emails as (

    {% for model, source_table, observed_at in [
        ('stg_crm__contacts', 'crm_contacts', 'coalesce(updated_at, created_at)'),
        ('stg_billing__subscriptions', 'billing_subscriptions', 'updated_at'),
        ('stg_shop__orders', 'shop_orders', 'ordered_at'),
        ('stg_helpdesk__tickets', 'helpdesk_tickets', 'created_at'),
        ('stg_consent__consent_events', 'consent_events', 'occurred_at'),
        ('stg_web__events', 'web_events', 'event_at'),
        ('stg_esp__email_events', 'esp_email_events', 'occurred_at'),
    ] %}
    select
        '{{ source_table }}' as source_table,
        source_record_key,
        {{ observed_at }} as observed_at,
        email,
        email_canonical
    from {{ ref(model) }}
    where email is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

blocked_emails as (

    select id_value from {{ ref('int_identity__identifiers') }}
    where id_type = 'email' and block_reason is not null

),

candidates as (

    select
        record_persons.person_id,
        emails.source_table,
        emails.source_record_key,
        emails.observed_at,
        emails.email,
        emails.email_canonical as match_key,
        1 as completeness
    from emails
    inner join record_persons
        on
            emails.source_table = record_persons.source_table
            and emails.source_record_key = record_persons.source_record_key
    left join blocked_emails on emails.email_canonical = blocked_emails.id_value
    where blocked_emails.id_value is null

),

{{ survivorship_pick('email') }}

select
    person_id,
    email,
    source_table as email_source,
    observed_at as email_observed_at,
    distinct_values as emails_seen
from ranked
where survivor_rank = 1
