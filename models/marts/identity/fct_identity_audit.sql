{#
    Everything identity resolution refused to use, and why: blocked junk identifiers, shared
    identifiers cut from the graph, and records left without a person.
#}
with

blocked as (

    select
        'blocked_identifier' as audit_type,
        cast(null as {{ dbt.type_string() }}) as source_table,
        id_type,
        id_value,
        block_reason as reason,
        records
    from {{ ref('int_identity__identifiers') }}
    where block_reason is not null

),

shared as (

    select
        'shared_identifier' as audit_type,
        cast(null as {{ dbt.type_string() }}) as source_table,
        shared.id_type,
        shared.id_value,
        {{ identity_shared_reason('shared') }} as reason,
        identifiers.records
    from {{ ref('int_identity__shared_identifiers') }} as shared
    inner join {{ ref('int_identity__identifiers') }} as identifiers
        on shared.id_type = identifiers.id_type and shared.id_value = identifiers.id_value

),

oversized as (

    select
        'oversized_component' as audit_type,
        cast(null as {{ dbt.type_string() }}) as source_table,
        oversized.id_type,
        nodes.node_key as id_value,
        cast(oversized.identifiers as {{ dbt.type_string() }}) || ' ' || oversized.id_type
        || ' in one component (limit ' || cast(oversized.person_limit as {{ dbt.type_string() }})
        || '): re-resolved from strong links' as reason,
        oversized.identifiers as records
    from {{ ref('int_identity__oversized_components') }} as oversized
    inner join {{ ref('int_identity__nodes') }} as nodes
        on oversized.component_id = nodes.node_id

),

unresolved as (

    select
        'unresolved_records' as audit_type,
        source_table,
        cast(null as {{ dbt.type_string() }}) as id_type,
        cast(null as {{ dbt.type_string() }}) as id_value,
        unresolved_reason as reason,
        count(*) as records
    from {{ ref('int_identity__record_persons') }}
    where person_id is null
    group by source_table, unresolved_reason

),

audit as (

    select * from blocked
    union all
    select * from shared
    union all
    select * from oversized
    union all
    select * from unresolved

)

select
    {{ surrogate_key(['audit_type', 'source_table', 'id_type', 'id_value', 'reason']) }}
        as audit_id,
    audit_type,
    source_table,
    id_type,
    id_value,
    reason,
    records
from audit
