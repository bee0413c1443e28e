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

)

{#
    Each link reads from its smaller node id, as edges are stored: node ids are md5 prefixes of
    the identifier keys (stable_hash), so that is the key with the smaller md5 on every engine
    (comparing the keys themselves would follow the database's collation).
#}
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
from edges
inner join nodes as a on edges.node_a = a.node_id
inner join nodes as b on edges.node_b = b.node_id
inner join person_map on a.node_key = person_map.node_key
