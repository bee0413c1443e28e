{#
    One row per person with activity: what their whole timeline says, whatever the as-of
    instant (first/last seen and active, channels and devices used, preferred channel and
    device). Kept per person (dbt_project.yml); int_traits__engagement adds what moves with the
    as-of instant. Preferences are the most frequent channel and device among what the person
    did (not what was sent to them); on a tie the one used most recently wins.
#}

with

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
    where {{ in_person_scope('person_id') }}
    group by person_id, channel, device_platform, is_person_initiated

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

){{ ',' if not loop.last }}
{% endfor %}

select
    activity_summary.person_id,
    activity_summary.first_seen_at,
    activity_summary.last_seen_at,
    activity_summary.last_active_at,
    channel_preferences.channel as preferred_channel,
    device_platform_preferences.device_platform as preferred_device,
    activity_summary.channels_used,
    activity_summary.devices_used
from activity_summary
left join channel_preferences
    on
        activity_summary.person_id = channel_preferences.person_id
        and channel_preferences.preference_rank = 1
left join device_platform_preferences
    on
        activity_summary.person_id = device_platform_preferences.person_id
        and device_platform_preferences.preference_rank = 1
