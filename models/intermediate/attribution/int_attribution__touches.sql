{#
    Marketing touches of resolved persons: web visits tagged with utm parameters, untagged page
    views referred by another site, email clicks and push opens. Records are joined to persons
    through the identity graph, so a cookie-only visit counts for the person the cookie later
    logs in or buys as. A touch repeating the person's previous touch of the same channel
    within the session window (var `cdp_attribution.touch_dedup_minutes`) is the same visit
    (reloads, the ESP's click and its tagged landing) and is dropped: the first one is kept.
#}
{%- set settings = var('cdp_attribution', {}) -%}
{%- set dedup_minutes = checked_number(settings.get('touch_dedup_minutes', 30),
    'var cdp_attribution.touch_dedup_minutes', integer=true, minimum=0) -%}

{#
    Kept per person (dbt_project.yml): an incremental run recomputes only the persons whose
    records changed. Each source joins its own records' persons first (constant source_table
    filter, as in int_customers__activities), so a run parses the URLs of those persons'
    events only.
#}
{%- set sources = [
    ('web_events', 'stg_web__events', 'coalesce(utm_source, utm_medium, utm_campaign) is not null'
        ~ " or (event_type = 'page' and referrer_url is not null)"),
    ('esp_email_events', 'stg_esp__email_events', "event_type = 'click'"),
    ('app_events', 'stg_app__events', "event_name = 'push_opened'"),
] -%}

with

{% for source_table, stg_model, condition in sources %}
{{ source_table }} as (

    select
        record_persons.person_id,
        source_rows.*
    from {{ ref(stg_model) }} as source_rows
    inner join {{ ref('int_identity__record_persons') }} as record_persons
        on
            record_persons.source_table = {{ string_literal(source_table) }}
            and source_rows.source_record_key = record_persons.source_record_key
    where
        ({{ condition }})
        and record_persons.person_id is not null
        and {{ in_person_scope('record_persons.person_id') }}

),

{% endfor %}
web_hosts as (

    select
        *,
        coalesce(utm_source, utm_medium, utm_campaign) is not null as has_utm,
        lower({{ regexp_replace_all(
            'page_url', '^[A-Za-z][A-Za-z0-9+.-]*://(www[.])?([^/?#:@]+).*$', '\\2'
        ) }}) as page_host,
        lower({{ regexp_replace_all(
            'referrer_url', '^[A-Za-z][A-Za-z0-9+.-]*://(www[.])?([^/?#:@]+).*$', '\\2'
        ) }}) as referrer_host
    from web_events

),

{# Untagged page views count only when the referrer is another site (not a page of ours). #}
web_touches as (

    select
        person_id,
        'web_events' as source_table,
        source_record_key,
        event_at as touched_at,
        case when has_utm then 'utm_visit' else 'referred_visit' end as touch_type,
        case when has_utm then lower(utm_source) else referrer_host end as source,  -- noqa: RF04
        case when has_utm then lower(utm_medium) else 'referral' end as medium,
        case when has_utm then utm_campaign end as campaign
    from web_hosts
    where
        has_utm
        or (
            event_type = 'page'
            and {{ regexp_like('referrer_url', '^[A-Za-z][A-Za-z0-9+.-]*://') }}
            and referrer_host <> coalesce(page_host, '')
        )

),

email_touches as (

    select
        person_id,
        'esp_email_events' as source_table,
        source_record_key,
        occurred_at as touched_at,
        'email_click' as touch_type,
        'esp' as source,  -- noqa: RF04
        'email' as medium,
        campaign_name as campaign
    from esp_email_events

),

push_touches as (

    select
        person_id,
        'app_events' as source_table,
        source_record_key,
        event_at as touched_at,
        'push_open' as touch_type,
        'app' as source,  -- noqa: RF04
        'push' as medium,
        cast(null as {{ dbt.type_string() }}) as campaign
    from app_events

),

touches as (

    select * from web_touches
    union all
    select * from email_touches
    union all
    select * from push_touches

),

touches_with_channels as (

    select
        *,
        {{ attribution_channel('source', 'medium') }} as channel
    from touches
    where touched_at is not null

),

sequenced as (

    select
        *,
        lag(touched_at) over (
            partition by person_id, channel
            order by touched_at, source_table, source_record_key
        ) as previous_touched_at
    from touches_with_channels

)

select
    ---------- ids
    {{ surrogate_key(['source_table', 'source_record_key']) }} as touch_id,
    person_id,

    ---------- strings
    channel,
    source,
    medium,
    campaign,
    touch_type,

    ---------- timestamps
    touched_at,

    ---------- lineage
    source_table,
    source_record_key

from sequenced
where
    previous_touched_at is null
    or touched_at > {{ dbt.dateadd('minute', dedup_minutes, 'previous_touched_at') }}
