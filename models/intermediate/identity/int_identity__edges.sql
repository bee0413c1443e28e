{#
    The identity graph's edges: record star edges and probabilistic CRM matches
    (int_identity__fuzzy_matches), one row per linked pair of nodes and kind of evidence, with
    the first record that produced it and, for a probabilistic edge, its match probability and
    the weight of each compared field.
#}
with

record_edges as (

    select
        node_a,
        node_b,
        'record' as link_type,
        cast(null as {{ type_double() }}) as match_probability,
        cast(null as {{ dbt.type_string() }}) as match_evidence,
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

probabilistic_edges as (

    select
        least(a.node_id, b.node_id) as node_a,
        greatest(a.node_id, b.node_id) as node_b,
        'probabilistic' as link_type,
        matches.match_probability,
        matches.match_evidence,
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
select * from probabilistic_edges
