{#
    The sources of the customer activity timeline (int_customers__activities): per source
    table its current (`stg`) and clean earlier (`base`) models and the SQL of each activity
    column over them. int_customers__person_inputs fingerprints the same models.
#}
{% macro activity_sources() -%}
    {%- set sources = [
        {'table': 'web_events', 'stg': 'stg_web__events', 'base': 'base_web__events',
         'activity_at': 'event_at', 'channel': "'web'",
         'activity_type': 'coalesce(event_name, event_type)',
         'device_platform': web_device_type('user_agent'), 'is_person_initiated': 'true'},
        {'table': 'app_events', 'stg': 'stg_app__events', 'base': 'base_app__events',
         'activity_at': 'event_at', 'channel': "'app'", 'activity_type': 'event_name',
         'device_platform': 'platform', 'is_person_initiated': 'true'},
        {'table': 'shop_orders', 'stg': 'stg_shop__orders', 'base': 'base_shop__orders',
         'activity_at': 'ordered_at', 'channel': 'channel', 'activity_type': 'order_type',
         'device_platform': none, 'is_person_initiated': 'true'},
        {'table': 'esp_email_events', 'stg': 'stg_esp__email_events',
         'base': 'base_esp__email_events',
         'activity_at': 'occurred_at', 'channel': "'email'", 'activity_type': 'event_type',
         'device_platform': none,
         'is_person_initiated': "event_type in ('open', 'click', 'unsubscribe', 'spam_complaint')"},
        {'table': 'helpdesk_tickets', 'stg': 'stg_helpdesk__tickets',
         'base': 'base_helpdesk__tickets',
         'activity_at': 'created_at', 'channel': "'support'",
         'activity_type': "'ticket_' || coalesce(topic, 'other')",
         'device_platform': none, 'is_person_initiated': 'true'},
        {'table': 'billing_subscriptions', 'stg': 'stg_billing__subscriptions',
         'base': 'base_billing__subscriptions',
         'activity_at': 'coalesce(updated_at, cast(started_on as timestamp))',
         'channel': "'billing'", 'activity_type': "'subscription_' || status",
         'device_platform': none, 'is_person_initiated': 'false'},
        {'table': 'consent_events', 'stg': 'stg_consent__consent_events',
         'base': 'base_consent__consent_events',
         'activity_at': 'occurred_at', 'channel': "'consent'",
         'activity_type': "'consent_' || status",
         'device_platform': none, 'is_person_initiated': 'false'},
        {'table': 'crm_contacts', 'stg': 'stg_crm__contacts', 'base': 'base_crm__contacts',
         'activity_at': 'coalesce(created_at, updated_at)', 'channel': "'crm'",
         'activity_type': "'contact_created'",
         'device_platform': none, 'is_person_initiated': 'false'},
    ] -%}
    {{ return(sources) }}
{%- endmacro %}
