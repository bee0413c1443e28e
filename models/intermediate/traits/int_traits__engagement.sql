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

activities as (

    select * from {{ ref('int_customers__activities') }}

),

as_of as (

    select * from {{ ref('int_customers__as_of') }}

),

sessions as (

    select * from {{ ref('int_traits__sessions') }}

),

activity_summary as (

    select
        activities.person_id,
        min(activities.activity_at) as first_seen_at,
        max(activities.activity_at) as last_seen_at,
        max(case when activities.is_person_initiated then activities.activity_at end)
            as last_active_at,
        {{ sorted_list_agg('activities.channel') }} as channels_used,
        {{ sorted_list_agg('activities.device_platform') }} as devices_used,
        count(
            case
                when activities.activity_type = 'app_crash'
                    and activities.activity_at > {{ dbt.dateadd(
                        'day', -app_issue_window_days, 'as_of.as_of_at') }}
                    and activities.activity_at <= as_of.as_of_at
                    then 1
            end
        ) as app_crashes_recent,
        count(
            case
                when activities.activity_type = 'login_failed'
                    and activities.activity_at > {{ dbt.dateadd(
                        'day', -app_issue_window_days, 'as_of.as_of_at') }}
                    and activities.activity_at <= as_of.as_of_at
                    then 1
            end
        ) as login_failures_recent
    from activities
    cross join as_of
    group by activities.person_id

),

{% for dimension in ['channel', 'device_platform'] %}
{{ dimension }}_preferences as (

    select
        person_id,
        {{ dimension }},
        row_number() over (
            partition by person_id
            order by count(*) desc, max(activity_at) desc, {{ dimension }} asc
        ) as preference_rank
    from activities
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
    activity_summary.app_crashes_recent,
    activity_summary.login_failures_recent
from activity_summary
cross join as_of
left join recent_sessions on activity_summary.person_id = recent_sessions.person_id
left join channel_preferences
    on
        activity_summary.person_id = channel_preferences.person_id
        and channel_preferences.preference_rank = 1
left join device_platform_preferences
    on
        activity_summary.person_id = device_platform_preferences.person_id
        and device_platform_preferences.preference_rank = 1
