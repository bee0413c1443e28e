{#
    Identifiers that co-occur with more distinct identifiers of another type than var
    `cdp_identity_link_limits` allows: a landline answering for a household, a tablet the
    whole family logs into. Counting co-occurrence in records (not graph edges) sees what the
    identifier touches directly, before any transitive merging can hide it.
#}
with

co_occurrences as (

    select distinct
        identifier.identifier_id,
        identifier.id_type,
        linked.identifier_id as linked_id,
        linked.id_type as linked_type
    from {{ ref('int_identity__record_identifiers') }} as identifier
    inner join {{ ref('int_identity__record_identifiers') }} as linked
        on
            identifier.source_table = linked.source_table
            and identifier.source_record_key = linked.source_record_key
            and identifier.id_type <> linked.id_type

),

link_counts as (

    select
        identifier_id,
        id_type,
        linked_type,
        count(*) as linked_identifiers,
        {{ identity_link_limit('id_type', 'linked_type') }} as link_limit
    from co_occurrences
    group by identifier_id, id_type, linked_type

),

over_limit as (

    select
        identifier_id,
        id_type,
        linked_type,
        linked_identifiers,
        link_limit,
        'link_limit' as share_rule
    from link_counts
    where linked_identifiers > link_limit

),

{#
    A push token belongs to one device: when the device is shared, so is its token (unless
    the token is already over a limit of its own towards that type). Types from var
    `cdp_identity_inherited_sharing` are checked identifiers, quoted with `string_literal`.
#}
inherited as (

    select distinct
        co_occurrences.identifier_id,
        co_occurrences.id_type,
        co_occurrences.linked_type,
        cast(null as {{ dbt.type_bigint() }}) as linked_identifiers,
        cast(null as {{ dbt.type_int() }}) as link_limit,
        'inherited' as share_rule
    from co_occurrences
    inner join over_limit as carrier on co_occurrences.linked_id = carrier.identifier_id
    where
        (
        {%- for id_type, carriers in var('cdp_identity_inherited_sharing').items() %}
            {%- set id_type = checked_identifier(
                id_type, 'var cdp_identity_inherited_sharing key') %}
            {%- set what = 'var cdp_identity_inherited_sharing.' ~ id_type %}
            {%- set carrier_list = [] %}
            {%- for carrier in checked_list(carriers, what) %}
                {%- do carrier_list.append(string_literal(
                    checked_identifier(carrier, what ~ '[' ~ loop.index0 ~ ']'))) %}
            {%- endfor %}
            (co_occurrences.id_type = {{ string_literal(id_type) }}
                and co_occurrences.linked_type in (
                    {{- carrier_list | join(', ') if carrier_list else string_literal('') -}}
                ))
            {%- if not loop.last %} or{% endif %}
        {%- else %}
            false
        {%- endfor %}
        )
        and not exists (
            select 1 from over_limit as own_limit
            where
                own_limit.identifier_id = co_occurrences.identifier_id
                and own_limit.linked_type = co_occurrences.linked_type
        )

),

shared as (

    select * from over_limit
    union all
    select * from inherited

)

select
    shared.identifier_id,
    shared.id_type,
    identifiers.id_value,
    shared.linked_type,
    shared.linked_identifiers,
    shared.link_limit,
    shared.share_rule
from shared
inner join {{ ref('int_identity__identifiers') }} as identifiers
    on shared.identifier_id = identifiers.identifier_id
