{#
    The golden record: one row per person, with the surviving value of each contact field
    (and the source and time it came from), every identifier, consent, subscription and all
    traits and scores. BI tools and audiences read this table only. Var values name columns
    (identifier types, consent purposes and channels: checked identifiers), are compared as
    text (quoted with `string_literal`) or as numbers (checked_number): YAML never reaches SQL
    unchecked.
#}
{%- set consent_purposes = [] -%}
{%- for pair in checked_list(var('cdp_consent_purposes'), 'var cdp_consent_purposes') -%}
    {%- set what = 'var cdp_consent_purposes[' ~ loop.index0 ~ ']' -%}
    {%- set purpose, channel = checked_list(pair, what, length=2) -%}
    {%- do consent_purposes.append([
        checked_identifier(purpose, what ~ '[0]'), checked_identifier(channel, what ~ '[1]')
    ]) -%}
{%- endfor -%}
{%- set id_types = [] -%}
{%- for id_type in checked_list(var('cdp_identity_types'), 'var cdp_identity_types') -%}
    {%- do id_types.append(
        checked_identifier(id_type, 'var cdp_identity_types[' ~ loop.index0 ~ ']')) -%}
{%- endfor -%}
{%- set propensity = var('cdp_clv')['propensity_thresholds'] -%}
{%- set high_propensity = checked_number(
    propensity['high'], 'var cdp_clv.propensity_thresholds.high') -%}
{%- set medium_propensity = checked_number(
    propensity['medium'], 'var cdp_clv.propensity_thresholds.medium') %}

with

persons as (

    select * from {{ ref('int_customers__persons') }}

),

identifier_lists as (

    select * from {{ ref('int_customers__identifier_lists') }}

),

{% for model in ['best_names', 'best_emails', 'best_phones', 'best_addresses',
                 'best_birth_dates', 'subscriptions'] %}
{{ model }} as (

    select * from {{ ref('int_customers__' ~ model) }}

),
{% endfor %}

{% for model in ['engagement', 'lifecycle', 'acquisition', 'commerce', 'rfm',
                 'email_engagement', 'content_affinities'] %}
{{ model }} as (

    select * from {{ ref('int_traits__' ~ model) }}

),
{% endfor %}

{# Deciles by rank, as RFM: equal values share a decile on every engine. #}
clv_scores as (

    select
        *,
        cast(
            1 + floor(10.0 * (rank() over (order by predicted_clv) - 1) / count(*) over ())
            as integer
        ) as clv_decile
    from {{ ref('stg_clv__scores') }}

),

as_of as (

    select * from {{ ref('int_customers__as_of') }}

),

consent as (

    select
        person_id,
        {% for purpose, channel in consent_purposes %}
        {%- set purpose_sql, channel_sql = string_literal(purpose), string_literal(channel) %}
        max(case when purpose = {{ purpose_sql }} and channel = {{ channel_sql }} then status end)
            as consent_{{ purpose }}_{{ channel }}{{ ',' if not loop.last }}
        {% endfor %}
    from {{ ref('dim_consent') }}
    group by person_id

)

select
    ---------- ids
    persons.person_id,
    persons.records,
    persons.sources,

    ---------- golden contact fields, each with where and when its value was seen
    best_names.first_name,
    best_names.last_name,
    best_names.name_source,
    best_names.name_observed_at,
    best_emails.email,
    best_emails.email_source,
    best_emails.email_observed_at,
    best_phones.phone,
    best_phones.phone_source,
    best_phones.phone_observed_at,
    best_addresses.address_line1,
    best_addresses.address_line2,
    best_addresses.city,
    best_addresses.region,
    best_addresses.postal_code,
    best_addresses.country_code,
    best_addresses.address_source,
    best_addresses.address_observed_at,
    best_birth_dates.date_of_birth,
    best_birth_dates.date_of_birth_source,
    best_birth_dates.date_of_birth_observed_at,

    ---------- identifiers
    {% for id_type in id_types %}
    identifier_lists.{{ id_type }}s,
    coalesce(identifier_lists.{{ id_type }}_count, 0) as {{ id_type }}_count,
    {% endfor %}
    coalesce(identifier_lists.identifier_count, 0) as identifier_count,

    ---------- activity and engagement
    engagement.first_seen_at,
    engagement.last_seen_at,
    engagement.last_active_at,
    engagement.days_since_last_activity,
    engagement.channels_used,
    engagement.devices_used,
    engagement.preferred_channel,
    engagement.preferred_device,
    engagement.sessions_recent,
    engagement.sessions_per_week,
    engagement.app_crashes_recent,
    engagement.login_failures_recent,

    ---------- lifecycle and acquisition
    lifecycle.is_known,
    lifecycle.lifecycle_stage,
    acquisition.acquired_at,
    acquisition.acquisition_cohort_month,
    acquisition.acquisition_channel,
    acquisition.acquisition_source,
    acquisition.acquisition_campaign,
    acquisition.first_order_cohort_month,

    ---------- consent (dim_consent: latest event wins; null when never asked)
    {% for purpose, channel in consent_purposes %}
    consent.consent_{{ purpose }}_{{ channel }},
    {% endfor %}

    ---------- subscription
    coalesce(subscriptions.subscription_status, 'none') as subscription_status,
    subscriptions.subscription_plan,
    subscriptions.subscription_billing_period,
    coalesce(subscriptions.is_paid_subscriber, false) as is_paid_subscriber,
    subscriptions.subscription_started_on,
    subscriptions.subscription_cancelled_on,
    coalesce(subscriptions.subscriptions_ever, 0) as subscriptions_ever,

    ---------- e-commerce (reporting currency)
    coalesce(commerce.orders, 0) as orders,
    coalesce(commerce.return_orders, 0) as return_orders,
    coalesce(commerce.gross_revenue, 0) as gross_revenue,
    coalesce(commerce.returned_revenue, 0) as returned_revenue,
    coalesce(commerce.net_revenue, 0) as net_revenue,
    commerce.average_order_value,
    commerce.return_rate,
    commerce.first_order_at,
    commerce.last_order_at,
    commerce.days_since_last_order,
    commerce.order_channels,
    coalesce(commerce.carts, 0) as carts,
    coalesce(commerce.abandoned_carts, 0) as abandoned_carts,
    commerce.cart_abandonment_rate,
    commerce.last_abandoned_cart_at,
    commerce.days_since_last_abandoned_cart,

    ---------- RFM
    rfm.recency_score,
    rfm.frequency_score,
    rfm.monetary_score,
    rfm.rfm_cell,
    rfm.rfm_segment,

    ---------- email engagement
    coalesce(email_engagement.emails_delivered, 0) as emails_delivered,
    coalesce(email_engagement.emails_opened, 0) as emails_opened,
    coalesce(email_engagement.emails_clicked, 0) as emails_clicked,
    email_engagement.email_open_rate,
    email_engagement.email_click_rate,
    email_engagement.last_email_open_at,
    email_engagement.last_email_click_at,
    coalesce(email_engagement.has_unsubscribed, false) as has_unsubscribed,
    coalesce(email_engagement.is_hard_bounced, false) as is_hard_bounced,

    ---------- content affinities
    content_affinities.top_genre,
    content_affinities.top_team,
    content_affinities.top_artist,

    ---------- predicted value (BG/NBD + Gamma-Gamma)
    clv_scores.expected_purchases_90d,
    clv_scores.expected_purchases_365d,
    clv_scores.p_alive,
    clv_scores.expected_avg_order_value,
    clv_scores.predicted_clv,
    clv_scores.clv_decile,
    case
        when clv_scores.expected_purchases_90d >= {{ high_propensity }} then 'high'
        when clv_scores.expected_purchases_90d >= {{ medium_propensity }} then 'medium'
        when clv_scores.person_id is not null then 'low'
    end as purchase_propensity,

    ---------- lineage
    as_of.as_of_at

from persons
cross join as_of
left join identifier_lists on persons.person_id = identifier_lists.person_id
left join best_names on persons.person_id = best_names.person_id
left join best_emails on persons.person_id = best_emails.person_id
left join best_phones on persons.person_id = best_phones.person_id
left join best_addresses on persons.person_id = best_addresses.person_id
left join best_birth_dates on persons.person_id = best_birth_dates.person_id
left join subscriptions on persons.person_id = subscriptions.person_id
left join engagement on persons.person_id = engagement.person_id
left join lifecycle on persons.person_id = lifecycle.person_id
left join acquisition on persons.person_id = acquisition.person_id
left join commerce on persons.person_id = commerce.person_id
left join rfm on persons.person_id = rfm.person_id
left join email_engagement on persons.person_id = email_engagement.person_id
left join content_affinities on persons.person_id = content_affinities.person_id
left join clv_scores on persons.person_id = clv_scores.person_id
left join consent on persons.person_id = consent.person_id
