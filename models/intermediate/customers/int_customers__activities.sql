{#
    Every clean record of a resolved person as one timeline: what happened, when, on which
    channel and device. First/last seen, engagement and lifecycle traits read it.
    `is_person_initiated` separates what the person did (a page view, an email open, an order,
    a ticket) from what was done to them or recorded about them (an email sent, a CRM import,
    a billing export, a consent record; a banner click is a side effect of a visit, and the
    visit itself is a web event).

    Records are the current versions (the `stg_` models: latest version, first delivery).
    A person none of whose current records carries activity is known only from records a
    later version superseded (a guest order whose email was corrected in a later export):
    their superseded versions (from the `base_` models, clean rows) are their timeline,
    flagged `is_superseded_version` and never person-initiated (the current version says
    someone else did it), so they get a first-seen time and an acquisition without
    counting as visitors or driving the as-of instant.
#}
{%- set sources = activity_sources() -%}

{#- The same columns from the current (stg_) and the clean earlier (base_) versions. -#}
{%- for source in sources -%}
    {%- set select_list -%}
        {{ string_literal(source.table) }} as source_table,
        source_record_key,
        {{ source.activity_at }} as activity_at,
        {{ source.channel }} as channel,
        {{ source.activity_type }} as activity_type,
        {{ source.device_platform or 'cast(null as ' ~ dbt.type_string() ~ ')' }}
            as device_platform,
        {{ source.is_person_initiated }} as is_person_initiated
    {%- endset -%}
    {%- do source.update({'select_list': select_list}) -%}
{%- endfor %}

with

record_persons as (

    select * from {{ ref('int_identity__record_persons') }}
    where person_id is not null and {{ in_person_scope('person_id') }}

),

{#
    Each source joins the persons of its own records, read from the table with a constant
    source_table filter: one join on the record key per source, and the scan skips the other
    sources' rows (at a million persons 19 s instead of 26 s, against one join on (table, key)
    over a shared CTE of all record persons).
#}
current_activities as (

    {% for source in sources %}
    select
        record_persons.person_id,
        current_records.*,
        false as is_superseded_version
    from (
        select
            {{ source.select_list }}
        from {{ ref(source.stg) }}
    ) as current_records
    inner join {{ ref('int_identity__record_persons') }} as record_persons
        on
            record_persons.source_table = {{ string_literal(source.table) }}
            and current_records.source_record_key = record_persons.source_record_key
    where
        current_records.activity_at is not null
        and record_persons.person_id is not null
        and {{ in_person_scope('record_persons.person_id') }}
    {{ 'union all' if not loop.last }}
    {% endfor %}

),

persons_with_activity as (

    select distinct person_id from current_activities

),

{# The records of persons without any current activity: superseded versions only. #}
superseded_only_records as (

    select
        record_persons.person_id,
        record_persons.source_table,
        record_persons.source_record_key
    from record_persons
    left join persons_with_activity
        on record_persons.person_id = persons_with_activity.person_id
    where persons_with_activity.person_id is null

),

superseded_records as (

    {% for source in sources %}
    select
        {{ source.select_list }}
    from {{ ref(source.base) }}
    where
        reject_reason is null
        and source_record_key in (
            select superseded_only_records.source_record_key
            from superseded_only_records
            where superseded_only_records.source_table = {{ string_literal(source.table) }}
        )
    {{ 'union all' if not loop.last }}
    {% endfor %}

),

superseded_activities as (

    select
        superseded_only_records.person_id,
        superseded_records.source_table,
        superseded_records.source_record_key,
        superseded_records.activity_at,
        superseded_records.channel,
        superseded_records.activity_type,
        superseded_records.device_platform,
        false as is_person_initiated,
        true as is_superseded_version
    from superseded_records
    inner join superseded_only_records
        on
            superseded_records.source_table = superseded_only_records.source_table
            and superseded_records.source_record_key = superseded_only_records.source_record_key
    where superseded_records.activity_at is not null

)

select * from current_activities
union all
select * from superseded_activities
