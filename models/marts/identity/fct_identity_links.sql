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
    edges.score,
    edges.records,
    edges.first_seen_at,
    edges.last_seen_at,
    edges.first_source_table,
    edges.first_source_record_key
from edges
inner join nodes as x on edges.node_a = x.node_id
inner join nodes as y on edges.node_b = y.node_id
-- Edges hold node_a < node_b, an order from the engine's stable_hash: a link's a/b sides (and
-- its id) follow the md5 of the identifier keys instead, the same on every engine.
inner join nodes as a
    on a.node_id = case
        when {{ dbt.hash('x.node_key') }} < {{ dbt.hash('y.node_key') }} then x.node_id
        else y.node_id
    end
inner join nodes as b
    on b.node_id = case
        when {{ dbt.hash('x.node_key') }} < {{ dbt.hash('y.node_key') }} then y.node_id
        else x.node_id
    end
inner join person_map on a.node_key = person_map.node_key
