{#
    One row per person: when and through what they were acquired. The acquisition channel is
    that of the marketing touch that opened their first visit (within `web_session_gap_minutes`
    of their first record); without one it is where their first record came from: `direct`
    for an untagged web visit, else that record's channel (app, store, crm, email, ...).
    Consent records never decide the channel (a person known only from consent banners came
    to the website: `direct`); they still date the acquisition.
#}
{% set gap_minutes = checked_number(var('cdp_traits')['web_session_gap_minutes'],
    'var cdp_traits.web_session_gap_minutes', integer=true, minimum=0) %}

with

{#
    Kept per person (dbt_project.yml): every input is filtered to the persons in scope. The
    activities are read twice from the table, not through one CTE (DuckDB would copy it).
#}
touches as (

    select * from {{ ref('int_attribution__touches') }}
    where {{ in_person_scope('person_id') }}

),

commerce as (

    select * from {{ ref('int_traits__commerce') }}
    where {{ in_person_scope('person_id') }}

),

{#
    A consent record is a side effect of a visit, not a channel anyone arrives through. The
    first activity is found in two steps, not by ranking every activity of every person (a
    window over 18M rows at a million persons): when each person's first non-consent (else
    first) activity happened, then a rank among the activities at that instant only.
#}
person_firsts as (

    select
        person_id,
        min(activity_at) as acquired_at,
        min(case when channel = 'consent' then null else activity_at end) as first_other_at
    from {{ ref('int_customers__activities') }}
    where {{ in_person_scope('person_id') }}
    group by person_id

),

first_activities as (

    select
        activities.person_id,
        activities.activity_at,
        activities.channel,
        person_firsts.acquired_at,
        row_number() over (
            partition by activities.person_id
            order by activities.source_table, activities.source_record_key
        ) as activity_rank
    from {{ ref('int_customers__activities') }} as activities
    inner join person_firsts
        on
            activities.person_id = person_firsts.person_id
            and activities.activity_at
            = coalesce(person_firsts.first_other_at, person_firsts.acquired_at)
            and (case when activities.channel = 'consent' then 1 else 0 end)
            = (case when person_firsts.first_other_at is null then 1 else 0 end)

),

first_touches as (

    select
        touches.person_id,
        touches.channel,
        touches.source,
        touches.campaign,
        row_number() over (
            partition by touches.person_id
            order by touches.touched_at, touches.touch_id
        ) as touch_rank
    from touches
    inner join first_activities
        on
            touches.person_id = first_activities.person_id
            and first_activities.activity_rank = 1
            and touches.touched_at <= {{ dbt.dateadd(
                'minute', gap_minutes, 'first_activities.activity_at') }}

)

select
    first_activities.person_id,
    first_activities.acquired_at,
    cast({{ dbt.date_trunc('month', 'first_activities.acquired_at') }} as date)
        as acquisition_cohort_month,
    coalesce(
        first_touches.channel,
        case
            when first_activities.channel in ('web', 'consent') then 'direct'
            else first_activities.channel
        end
    ) as acquisition_channel,
    first_touches.source as acquisition_source,
    first_touches.campaign as acquisition_campaign,
    cast({{ dbt.date_trunc('month', 'commerce.first_order_at') }} as date)
        as first_order_cohort_month
from first_activities
left join first_touches
    on
        first_activities.person_id = first_touches.person_id
        and first_touches.touch_rank = 1
left join commerce on first_activities.person_id = commerce.person_id
where first_activities.activity_rank = 1
