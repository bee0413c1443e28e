{#
    Merges and splits recorded by this run, appended to the history of earlier runs. A merge:
    a previous person's identifiers all now belong to another person (the older id survives).
    A split: some identifiers left a person that still exists. The cause is the newest link
    that joins the merged identifiers, or the identifiers that disappeared from a split one.
    Everything starts from the identifiers this run changed, so a run without changes is cheap.
#}
{%- set run_at = "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as timestamp)" -%}

with

changed_identifiers as (

    select * from {{ ref('int_identity__person_map') }}
    where changed_at = {{ run_at }}

),

moved as (

    select
        previous_person_id as from_person_id,
        person_id as to_person_id,
        count(*) as identifiers_moved
    from changed_identifiers
    where
        is_current
        and previous_person_id is not null
        and previous_person_id <> person_id
    group by previous_person_id, person_id

),

changes as (

    select
        moved.*,
        case
            when moved.from_person_id in (
                select current_map.person_id
                from {{ ref('int_identity__person_map') }} as current_map
                where current_map.is_current
            ) then 'split'
            else 'merge'
        end as change_type
    from moved

),

merged_nodes as (

    select
        changes.from_person_id,
        changes.to_person_id,
        nodes.node_id,
        nodes.id_type
    from changes
    inner join changed_identifiers
        on
            changes.from_person_id = changed_identifiers.previous_person_id
            and changes.to_person_id = changed_identifiers.person_id
            and changed_identifiers.is_current
    inner join {{ ref('int_identity__nodes') }} as nodes
        on changed_identifiers.node_key = nodes.node_key
    where changes.change_type = 'merge'

),

{# Links from an identifier that came from `from_person_id` to one that did not. #}
merged_links as (

    select
        merged_nodes.*,
        edges.node_b as other_node_id,
        edges.link_type,
        edges.first_seen_at,
        edges.first_source_table,
        edges.first_source_record_key
    from merged_nodes
    inner join {{ ref('int_identity__edges') }} as edges on merged_nodes.node_id = edges.node_a
    union all
    select
        merged_nodes.*,
        edges.node_a as other_node_id,
        edges.link_type,
        edges.first_seen_at,
        edges.first_source_table,
        edges.first_source_record_key
    from merged_nodes
    inner join {{ ref('int_identity__edges') }} as edges on merged_nodes.node_id = edges.node_b

),

bridging_links as (

    select
        merged_links.from_person_id,
        merged_links.to_person_id,
        merged_links.link_type,
        merged_links.first_source_table,
        merged_links.first_source_record_key,
        merged_links.id_type || ' ~ ' || other_nodes.id_type as linked_types,
        row_number() over (
            partition by merged_links.from_person_id, merged_links.to_person_id
            order by merged_links.first_seen_at desc, merged_links.first_source_record_key asc
        ) as newest_rank
    from merged_links
    inner join {{ ref('int_identity__nodes') }} as other_nodes
        on merged_links.other_node_id = other_nodes.node_id
    inner join {{ ref('int_identity__person_map') }} as other_map
        on
            other_nodes.node_key = other_map.node_key
            and other_map.is_current
            and coalesce(other_map.previous_person_id, '') <> merged_links.from_person_id

),

removed_identifiers as (

    select
        person_id as from_person_id,
        count(*) as identifiers_removed
    from changed_identifiers
    where not is_current
    group by person_id

)

select
    {{ run_at }} as run_at,
    changes.change_type,
    changes.from_person_id,
    changes.to_person_id,
    changes.identifiers_moved,
    case
        when changes.change_type = 'merge'
            then 'joined by a ' || bridging_links.link_type || ' link: '
            || bridging_links.linked_types
        when removed_identifiers.identifiers_removed > 0
            then cast(removed_identifiers.identifiers_removed as {{ dbt.type_string() }})
            || ' identifier(s) no longer seen'
        else 'links removed (blocked or shared identifier)'
    end as cause,
    bridging_links.link_type as cause_link_type,
    bridging_links.first_source_table as cause_source_table,
    bridging_links.first_source_record_key as cause_source_record_key
from changes
left join bridging_links
    on
        changes.from_person_id = bridging_links.from_person_id
        and changes.to_person_id = bridging_links.to_person_id
        and bridging_links.newest_rank = 1
left join removed_identifiers on changes.from_person_id = removed_identifiers.from_person_id
