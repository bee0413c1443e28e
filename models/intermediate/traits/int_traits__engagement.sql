{#
    One row per person with activity: how, where and how recently they engage. What their
    timeline says whatever the instant comes from int_traits__activity_summary (kept per
    person); this model adds what moves with the as-of instant, over every person each run:
    days since they were last active and the recent sessions and app issues, counted from
    filtered scans. The var's windows are checked integers (checked_number).
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

activity_summary as (

    select * from {{ ref('int_traits__activity_summary') }}

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

recent_sessions as (

    select
        sessions.person_id,
        count(*) as sessions_recent
    from {{ ref('int_traits__sessions') }} as sessions
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
    activity_summary.preferred_channel,
    activity_summary.preferred_device,
    activity_summary.channels_used,
    activity_summary.devices_used,
    coalesce(app_issues.app_crashes_recent, 0) as app_crashes_recent,
    coalesce(app_issues.login_failures_recent, 0) as login_failures_recent
from activity_summary
cross join as_of
left join app_issues on activity_summary.person_id = app_issues.person_id
left join recent_sessions on activity_summary.person_id = recent_sessions.person_id
