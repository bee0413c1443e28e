{#
    Every identifier on every clean raw row, earlier versions included: an older CRM export
    still carries the email a person used before changing it, and that email is how their old
    email engagement finds them.
#}
with

observations as (

    {{ identity_observations(ref('base_crm__contacts'), 'crm_contacts',
        'coalesce(updated_at, created_at)', [
            ['crm_id', 'contact_id'], ['user_id', 'account_id'], ['loyalty_id', 'loyalty_id'],
            ['email', 'email'], ['phone', 'phone_e164'], ['phone', 'mobile_phone_e164'],
        ]) }}

    union all

    {{ identity_observations(ref('base_web__events'), 'web_events', 'event_at', [
            ['cookie_id', 'anonymous_id'], ['user_id', 'account_id'], ['email', 'email'],
        ]) }}

    union all

    {{ identity_observations(ref('base_app__events'), 'app_events', 'event_at', [
            ['device_id', 'device_id'], ['user_id', 'account_id'], ['push_token', 'push_token'],
        ]) }}

    union all

    {{ identity_observations(ref('base_shop__orders'), 'shop_orders', 'ordered_at', [
            ['user_id', 'account_id'], ['loyalty_id', 'loyalty_id'], ['email', 'email'],
            ['phone', 'phone_e164'],
        ]) }}

    union all

    {{ identity_observations(ref('base_esp__email_events'), 'esp_email_events', 'occurred_at',
        [['email', 'email']]) }}

    union all

    {{ identity_observations(ref('base_helpdesk__tickets'), 'helpdesk_tickets', 'created_at', [
            ['email', 'email'], ['phone', 'phone_e164'],
        ]) }}

    union all

    {{ identity_observations(ref('base_billing__subscriptions'), 'billing_subscriptions',
        'updated_at', [['user_id', 'account_id'], ['email', 'email']]) }}

    union all

    {{ identity_observations(ref('base_consent__consent_events'), 'consent_events',
        'occurred_at', [
            ['email', 'email'], ['user_id', 'account_id'], ['cookie_id', 'anonymous_id'],
        ]) }}

)

{# A record can carry one value twice (phone = mobile phone): it is one observation. #}
select distinct
    source_table,
    source_record_key,
    id_type,
    id_value,
    observed_at
from observations
where id_value is not null
