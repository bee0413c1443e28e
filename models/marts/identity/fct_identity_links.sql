with

edges as (

    select * from {{ ref('int_identity__edges') }}

),

nodes as (

    select * from {{ ref('int_identity__nodes') }}

),

person_map as (

    select * from {{ ref('int_identity__person_map') }}
    where is_current

),

{#
    Each link reads from the identifier whose key has the smaller md5: node ids follow the
    engine's hash order (stable_hash), so orienting links by node id would differ between
    engines, and comparing the keys themselves would follow the database's collation.
#}
oriented_edges as (
    select
        edges.*,
        case
            when {{ dbt.hash('first_node.node_key') }} <= {{ dbt.hash('second_node.node_key') }}
                then edges.node_a
            else edges.node_b
        end as key_node_a,
        case
            when {{ dbt.hash('first_node.node_key') }} <= {{ dbt.hash('second_node.node_key') }}
                then edges.node_b
            else edges.node_a
        end as key_node_b
    from edges
    inner join nodes as first_node on edges.node_a = first_node.node_id
    inner join nodes as second_node on edges.node_b = second_node.node_id
)

select
    {{ surrogate_key(['a.node_key', 'b.node_key', 'edges.link_type']) }} as link_id,
    person_map.person_id,
    a.node_key as identifier_key_a,
    a.id_type as id_type_a,
    a.id_value as id_value_a,
    b.node_key as identifier_key_b,
    b.id_type as id_type_b,
    b.id_value as id_value_b,
    edges.link_type,
    edges.match_probability,
    edges.match_evidence,
    edges.records,
    edges.first_seen_at,
    edges.last_seen_at,
    edges.first_source_table,
    edges.first_source_record_key
from oriented_edges as edges
inner join nodes as a on edges.key_node_a = a.node_id
inner join nodes as b on edges.key_node_b = b.node_id
inner join person_map on a.node_key = person_map.node_key
