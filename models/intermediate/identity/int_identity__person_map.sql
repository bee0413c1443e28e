{#
    Stable person ids. Each run maps the new components onto the previous run's persons:
    every previous person has one heir component (the one holding its anchor identifier, else
    most of its identifiers); a component inheriting several persons keeps the oldest id
    (earliest first seen) and the others are merged into it; a component inheriting none gets a
    new id derived from its earliest identifier, so a rebuild from scratch on the same data
    gives the same ids. Identifiers no longer seen stay as non-current rows (redirects).
    This model reads its own previous state and is never wiped by --full-refresh.
    A run writes only the rows it changes (delete+insert by node_key): an hour's new data
    moves a few thousand identifiers, not the millions every run used to delete and insert
    again. So `updated_at` is the run that last changed a row.
#}
{%- set run_at = "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as timestamp)" -%}

with

components as (

    select
        nodes.node_key,
        nodes.id_type,
        nodes.id_value,
        nodes.first_seen_at,
        components.component_id
    from {{ ref('int_identity__nodes') }} as nodes
    inner join {{ ref('int_identity__resolved_components') }} as components
        on nodes.node_id = components.node_id

),

previous as (

    {%- if is_incremental() %}
    select * from {{ this }}
    where is_current
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as node_key,
        cast(null as {{ dbt.type_string() }}) as person_id,
        cast(null as timestamp) as person_first_seen_at,
        cast(null as boolean) as is_person_anchor,
        cast(null as timestamp) as first_assigned_at,
        cast(null as timestamp) as changed_at
    where false
    {%- endif %}

),

matched as (

    select
        components.*,
        previous.person_id as previous_person_id,
        previous.person_first_seen_at as previous_person_first_seen_at,
        coalesce(previous.is_person_anchor, false) as was_person_anchor,
        previous.first_assigned_at,
        previous.changed_at as previous_changed_at
    from components
    left join previous on components.node_key = previous.node_key

),

person_overlaps as (

    select
        previous_person_id,
        component_id,
        count(*) as nodes,
        max(case when was_person_anchor then 1 else 0 end) as holds_anchor,
        min(previous_person_first_seen_at) as person_first_seen_at
    from matched
    where previous_person_id is not null
    group by previous_person_id, component_id

),

heirs as (

    select
        previous_person_id,
        component_id,
        person_first_seen_at,
        row_number() over (
            partition by previous_person_id
            order by holds_anchor desc, nodes desc, component_id asc
        ) as heir_rank
    from person_overlaps

),

survivors as (

    select
        component_id,
        previous_person_id as person_id,
        person_first_seen_at,
        row_number() over (
            partition by component_id
            order by person_first_seen_at, previous_person_id
        ) as survivor_rank
    from heirs
    where heir_rank = 1

),

representatives as (

    select
        component_id,
        node_key,
        first_seen_at,
        row_number() over (
            partition by component_id
            order by first_seen_at, node_key
        ) as representative_rank
    from components

),

component_persons as (

    select
        representatives.component_id,
        representatives.node_key as representative_key,
        coalesce(
            survivors.person_id,
            'prs_' || substr(md5(representatives.node_key), 1, 20)
        ) as person_id,
        coalesce(survivors.person_first_seen_at, representatives.first_seen_at)
            as person_first_seen_at
    from representatives
    left join survivors
        on
            representatives.component_id = survivors.component_id
            and survivors.survivor_rank = 1
    where representatives.representative_rank = 1

),

{# The surviving person's anchor stays its anchor; otherwise the earliest identifier. #}
kept_anchors as (

    select
        matched.component_id,
        matched.node_key
    from matched
    inner join component_persons
        on
            matched.component_id = component_persons.component_id
            and matched.previous_person_id = component_persons.person_id
    where matched.was_person_anchor

),

mapped as (

    select
        matched.node_key,
        matched.id_type,
        matched.id_value,
        component_persons.person_id,
        component_persons.person_first_seen_at,
        coalesce(
            matched.node_key = kept_anchors.node_key,
            kept_anchors.node_key is null
            and matched.node_key = component_persons.representative_key
        ) as is_person_anchor,
        matched.previous_person_id,
        true as is_current,
        coalesce(matched.first_assigned_at, {{ run_at }}) as first_assigned_at,
        case
            when coalesce(matched.previous_person_id, '') <> component_persons.person_id
                then {{ run_at }}
            else matched.previous_changed_at
        end as changed_at,
        {{ run_at }} as updated_at,
        matched.was_person_anchor,
        matched.previous_person_first_seen_at
    from matched
    inner join component_persons on matched.component_id = component_persons.component_id
    left join kept_anchors on matched.component_id = kept_anchors.component_id

)

{# New identifiers, and those whose person, person start or anchor role changed. #}
select
    node_key,
    id_type,
    id_value,
    person_id,
    person_first_seen_at,
    is_person_anchor,
    previous_person_id,
    is_current,
    first_assigned_at,
    changed_at,
    updated_at
from mapped
where
    previous_person_id is null
    or previous_person_id <> person_id
    or was_person_anchor <> is_person_anchor
    or previous_person_first_seen_at is distinct from person_first_seen_at

{%- if is_incremental() %}

union all

{# Identifiers gone since the last run keep their last person: ids that redirect. #}
select
    previous.node_key,
    previous.id_type,
    previous.id_value,
    previous.person_id,
    previous.person_first_seen_at,
    false as is_person_anchor,
    previous.person_id as previous_person_id,
    false as is_current,
    previous.first_assigned_at,
    {{ run_at }} as changed_at,
    {{ run_at }} as updated_at
from {{ this }} as previous
where
    previous.is_current
    and previous.node_key not in (select node_key from components)
{%- endif %}
