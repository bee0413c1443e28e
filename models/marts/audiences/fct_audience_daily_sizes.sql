{#
    One row per audience × day, from the audience's first entry to the latest run: members at
    the end of the day (held-out ones separately), and how many entered and left that day,
    reconstructed from the membership history.
#}
with

stays as (

    select
        audience_name,
        is_holdout,
        cast(entered_at as date) as entered_on,
        cast(exited_at as date) as exited_on
    from {{ ref('fct_audience_memberships') }}

),

latest_run as (

    select max(coalesce(exited_on, entered_on)) as last_day
    from stays

),

bounds as (

    select
        stays.audience_name,
        min(stays.entered_on) as first_day,
        latest_run.last_day
    from stays
    cross join latest_run
    group by stays.audience_name, latest_run.last_day

),

{# 65,536 days (~179 years) is more history than any audience will have. #}
day_numbers as (

    {{ dbt.generate_series(65536) }}

),

days as (

    select
        bounds.audience_name,
        cast({{ dbt.dateadd('day', 'day_numbers.generated_number - 1', 'bounds.first_day') }}
            as date) as size_date
    from bounds
    cross join day_numbers
    where
        {{ dbt.dateadd('day', 'day_numbers.generated_number - 1', 'bounds.first_day') }}
        <= bounds.last_day

),

{# A stay counts at the end of every day from its entry up to the day before its exit. #}
day_stays as (

    select
        days.audience_name,
        days.size_date,
        stays.is_holdout,
        stays.entered_on,
        stays.exited_on,
        coalesce(
            stays.entered_on <= days.size_date
            and (stays.exited_on is null or stays.exited_on > days.size_date),
            false
        ) as is_member_at_end
    from days
    left join stays on days.audience_name = stays.audience_name

)

select
    audience_name,
    size_date,
    count(case when is_member_at_end and not is_holdout then 1 end) as members,
    count(case when is_member_at_end and is_holdout then 1 end) as holdout_members,
    count(case when entered_on = size_date then 1 end) as entered,
    count(case when exited_on = size_date then 1 end) as exited
from day_stays
group by audience_name, size_date
