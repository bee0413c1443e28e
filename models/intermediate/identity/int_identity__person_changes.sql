{#
    Merges and splits recorded by this run, appended to the history of earlier runs. A merge:
    a previous person's identifiers all now belong to another person (the older id survives).
    A split: some identifiers left a person that still exists. The cause is the newest link
    that joined the merged identifiers, or the identifiers that disappeared from a split one.
#}
{%- set run_at = "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as timestamp)" -%}

with

person_map as (

    select * from {{ ref('int_identity__person_map') }}

),

moved as (

    select
        previous_person_id as from_person_id,
        person_id as to_person_id,
        count(*) as identifiers_moved
    from person_map
    where
        is_current
        and changed_at = {{ run_at }}
        and previous_person_id is not null
        and previous_person_id <> person_id
    group by previous_person_id, person_id

),

current_persons as (

    select distinct person_id from person_map
    where is_current

),

changes as (

    select
        moved.*,
        case
            when current_persons.person_id is null then 'merge' else 'split'
        end as change_type
    from moved
    left join current_persons on moved.from_person_id = current_persons.person_id

),

{# Links between an identifier that came from `from_person_id` and one that did not. #}
merged_nodes as (

    select
        changes.from_person_id,
        changes.to_person_id,
        nodes.node_id,
        nodes.id_type
    from changes
    inner join person_map
        on
            changes.from_person_id = person_map.previous_person_id
            and changes.to_person_id = person_map.person_id
            and person_map.is_current
    inner join {{ ref('int_identity__nodes') }} as nodes on person_map.node_key = nodes.node_key
    where changes.change_type = 'merge'

),

edge_ends as (

    select
        node_a as node_id,
        node_b as other_node_id,
        link_type,
        first_seen_at,
        first_source_table,
        first_source_record_key
    from {{ ref('int_identity__edges') }}
    union all
    select
        node_b as node_id,
        node_a as other_node_id,
        link_type,
        first_seen_at,
        first_source_table,
        first_source_record_key
    from {{ ref('int_identity__edges') }}

),

bridging_links as (

    select
        merged_nodes.from_person_id,
        merged_nodes.to_person_id,
        edge_ends.link_type,
        edge_ends.first_source_table,
        edge_ends.first_source_record_key,
        merged_nodes.id_type || ' ~ ' || other_nodes.id_type as linked_types,
        row_number() over (
            partition by merged_nodes.from_person_id, merged_nodes.to_person_id
            order by edge_ends.first_seen_at desc, edge_ends.first_source_record_key asc
        ) as newest_rank
    from merged_nodes
    inner join edge_ends on merged_nodes.node_id = edge_ends.node_id
    inner join {{ ref('int_identity__nodes') }} as other_nodes
        on edge_ends.other_node_id = other_nodes.node_id
    inner join person_map as other_map
        on
            other_nodes.node_key = other_map.node_key
            and other_map.is_current
            and other_map.previous_person_id is distinct from merged_nodes.from_person_id

),

removed_identifiers as (

    select
        person_id as from_person_id,
        count(*) as identifiers_removed
    from person_map
    where not is_current and changed_at = {{ run_at }}
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
            then 'new ' || bridging_links.link_type || ' link: ' || bridging_links.linked_types
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
