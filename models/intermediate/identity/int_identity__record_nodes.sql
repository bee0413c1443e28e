{#
    Each record's usable identifiers, ranked: the record's anchor (rank 1) is its most trusted
    identifier that is not shared, else its most trusted shared one. The anchor decides the
    record's person and is the centre of the record's star edges.

    Kept per load like the record identifiers it ranks (a record's identifiers all come from
    its one load): a run ranks the loads it does not hold, and the records its pre-hook
    (drop_record_nodes_of_changed_loads) put in scope because one of their identifiers became
    or stopped being shared. The trust order's SQL is hashed into a comment below, so a
    changed order changes this model's code fingerprint and every record is ranked again.
#}
{% call with_code_fingerprint() %}
/* trust order {{ local_md5(identity_type_rank('id_type'))[:16] }} */
with

{{ held_loads() }}

record_identifiers as (

    select * from {{ ref('int_identity__record_identifiers') }} as record_identifiers
    {{- loads_not_held('record_identifiers.source_table', 'record_identifiers.loaded_at',
                      or_also=held_record_in_scope('record_identifiers')) }}

),

nodes as (

    select * from {{ ref('int_identity__nodes') }}

)

select
    record_identifiers.source_table,
    record_identifiers.source_record_key,
    record_identifiers.observed_at,
    nodes.node_id,
    nodes.id_type,
    nodes.is_shared,
    row_number() over (
        partition by record_identifiers.source_table, record_identifiers.source_record_key
        order by nodes.is_shared, nodes.type_rank, nodes.node_id
    ) as anchor_rank,
    record_identifiers.loaded_at,
    record_identifiers.base_code_fingerprint,
    record_identifiers.load_clean_rows,
    record_identifiers.observations_code_fingerprint,
    record_identifiers.code_fingerprint as record_identifiers_code_fingerprint
from record_identifiers
inner join nodes on record_identifiers.identifier_id = nodes.node_id
{% endcall %}
