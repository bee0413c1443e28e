{#
    One row per person: how, where and how recently they engage. Preferences are the most
    frequent channel and device among what the person did (not what was sent to them); on a
    tie the one used most recently wins. The var's windows are checked integers (checked_number).
#}
{%- set traits = var('cdp_traits') -%}
{%- set app_issue_window_days = checked_number(
    traits['app_issue_window_days'], 'var cdp_traits.app_issue_window_days',
    integer=true, minimum=0) -%}
{%- set engagement_window_days = checked_number(
    traits['engagement_window_days'], 'var cdp_traits.engagement_window_days',
    integer=true, minimum=1) %}

with

as_of as (

    select * from {{ ref('int_customers__as_of') }}

),

sessions as (

    select * from {{ ref('int_traits__sessions') }}

),

{#
    Every summary below reads this pre-aggregate (a few rows per person) instead of the
    activities (one per record): at a million persons, distinct aggregates over 18M
    activities had DuckDB copy them twice (19 s for the model).
#}
usage as (

    select
        person_id,
        channel,
        device_platform,
        is_person_initiated,
        count(*) as activities,
        min(activity_at) as first_at,
        max(activity_at) as last_at
    from {{ ref('int_customers__activities') }}
    group by person_id, channel, device_platform, is_person_initiated

),

app_issues as (

    select
        activities.person_id,
        count(case when activities.activity_type = 'app_crash' then 1 end)
            as app_crashes_recent,
        count(case when activities.activity_type = 'login_failed' then 1 end)
            as login_failures_recent
    from {{ ref('int_customers__activities') }} as activities
    cross join as_of
    where
        activities.activity_type in ('app_crash', 'login_failed')
        and activities.activity_at > {{ dbt.dateadd(
            'day', -app_issue_window_days, 'as_of.as_of_at') }}
        and activities.activity_at <= as_of.as_of_at
    group by activities.person_id

),

activity_summary as (

    select
        person_id,
        min(first_at) as first_seen_at,
        max(last_at) as last_seen_at,
        max(case when is_person_initiated then last_at end) as last_active_at,
        {{ sorted_list_agg('channel') }} as channels_used,
        {{ sorted_list_agg('device_platform') }} as devices_used
    from usage
    group by person_id

),

{% for dimension in ['channel', 'device_platform'] %}
{{ dimension }}_preferences as (

    select
        person_id,
        {{ dimension }},
        row_number() over (
            partition by person_id
            order by sum(activities) desc, max(last_at) desc, {{ dimension }} asc
        ) as preference_rank
    from usage
    where is_person_initiated and {{ dimension }} is not null
    group by person_id, {{ dimension }}

),
{% endfor %}

recent_sessions as (

    select
        sessions.person_id,
        count(*) as sessions_recent
    from sessions
    cross join as_of
    where
        sessions.started_at > {{ dbt.dateadd(
            'day', -engagement_window_days, 'as_of.as_of_at') }}
        and sessions.started_at <= as_of.as_of_at
    group by sessions.person_id

)

select
    activity_summary.person_id,
    activity_summary.first_seen_at,
    activity_summary.last_seen_at,
    activity_summary.last_active_at,
    cast(
        {{ dbt.datediff('activity_summary.last_active_at', 'as_of.as_of_at', 'day') }}
        as bigint
    ) as days_since_last_activity,
    coalesce(recent_sessions.sessions_recent, 0) as sessions_recent,
    cast(
        coalesce(recent_sessions.sessions_recent, 0) * 7.0 / {{ engagement_window_days }}
        as decimal(10, 2)
    ) as sessions_per_week,
    channel_preferences.channel as preferred_channel,
    device_platform_preferences.device_platform as preferred_device,
    activity_summary.channels_used,
    activity_summary.devices_used,
    coalesce(app_issues.app_crashes_recent, 0) as app_crashes_recent,
    coalesce(app_issues.login_failures_recent, 0) as login_failures_recent
from activity_summary
cross join as_of
left join app_issues on activity_summary.person_id = app_issues.person_id
left join recent_sessions on activity_summary.person_id = recent_sessions.person_id
left join channel_preferences
    on
        activity_summary.person_id = channel_preferences.person_id
        and channel_preferences.preference_rank = 1
left join device_platform_preferences
    on
        activity_summary.person_id = device_platform_preferences.person_id
        and device_platform_preferences.preference_rank = 1
