{#
    One row per visit of a resolved person: app sessions as the SDK numbers them, web
    sessions cut from each browser's events wherever more than `web_session_gap_minutes`
    pass without one (the web tracker sends no session id).
#}
{% set gap_minutes = checked_number(var('cdp_traits')['web_session_gap_minutes'],
    'var cdp_traits.web_session_gap_minutes', integer=true, minimum=0) %}

with

activities as (

    select * from {{ ref('int_customers__activities') }}
    where {{ in_person_scope('person_id') }}

),

web_events as (

    select
        activities.person_id,
        activities.activity_at,
        activities.device_platform,
        web.anonymous_id,
        case
            when
                lag(activities.activity_at) over (
                    partition by activities.person_id, web.anonymous_id
                    order by activities.activity_at
                ) >= {{ dbt.dateadd('minute', -gap_minutes, 'activities.activity_at') }}
                then 0
            else 1
        end as is_session_start
    from activities
    inner join {{ ref('stg_web__events') }} as web
        on activities.source_record_key = web.source_record_key
    where activities.source_table = 'web_events'

),

web_numbered as (

    select
        *,
        sum(is_session_start) over (
            partition by person_id, anonymous_id
            order by activity_at
            rows between unbounded preceding and current row
        ) as session_number
    from web_events

),

web_sessions as (

    select
        person_id,
        'web' as channel,
        coalesce(anonymous_id, '') || '#' || cast(session_number as {{ dbt.type_string() }})
            as session_key,
        min(device_platform) as device_platform,
        min(activity_at) as started_at,
        max(activity_at) as ended_at,
        count(*) as events
    from web_numbered
    group by person_id, anonymous_id, session_number

),

app_sessions as (

    select
        activities.person_id,
        'app' as channel,
        app.session_id as session_key,
        min(app.platform) as device_platform,
        min(app.event_at) as started_at,
        max(app.event_at) as ended_at,
        count(*) as events
    from activities
    inner join {{ ref('stg_app__events') }} as app
        on activities.source_record_key = app.source_record_key
    where activities.source_table = 'app_events' and app.session_id is not null
    group by activities.person_id, app.session_id

)

select * from web_sessions
union all
select * from app_sessions
