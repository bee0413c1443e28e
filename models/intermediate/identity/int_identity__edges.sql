{#
    The identity graph's edges: record star edges and fuzzy CRM matches, one row per linked
    pair of nodes and kind of evidence, with the first record that produced it.
#}
with

record_edges as (

    select
        node_a,
        node_b,
        'record' as link_type,
        cast(null as {{ dbt.type_numeric() }}) as score,
        records,
        first_seen_at,
        last_seen_at,
        first_source_table,
        first_source_record_key
    from {{ ref('int_identity__record_edges') }}

),

crm_nodes as (

    select
        node_id,
        id_value as contact_id,
        first_seen_at
    from {{ ref('int_identity__nodes') }}
    where id_type = 'crm_id' and not is_shared

),

fuzzy_edges as (

    select
        least(a.node_id, b.node_id) as node_a,
        greatest(a.node_id, b.node_id) as node_b,
        'fuzzy' as link_type,
        matches.score,
        cast(1 as bigint) as records,
        greatest(a.first_seen_at, b.first_seen_at) as first_seen_at,
        greatest(a.first_seen_at, b.first_seen_at) as last_seen_at,
        'crm_contacts' as first_source_table,
        matches.record_b as first_source_record_key
    from {{ ref('int_identity__fuzzy_matches') }} as matches
    inner join crm_nodes as a on upper(matches.contact_a) = a.contact_id
    inner join crm_nodes as b on upper(matches.contact_b) = b.contact_id

)

select * from record_edges
union all
select * from fuzzy_edges
