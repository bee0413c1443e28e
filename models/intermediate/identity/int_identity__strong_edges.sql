{#
    The links inside oversized components that survive demotion: record links between two
    identifiers of a type in var `cdp_identity_person_limits.keep_links_of` (accounts, CRM and
    loyalty ids, emails), not phones, devices or cookies, which are what glues different
    people together, and never probabilistic links, so a chain of look-alike CRM contacts
    cannot hold an oversized component together. The types are checked identifiers, quoted
    with `string_literal`.
#}
{%- set what = 'var cdp_identity_person_limits.keep_links_of' -%}
{%- set kept_types = [] -%}
{%- for id_type in checked_list(var('cdp_identity_person_limits')['keep_links_of'], what) -%}
    {%- do kept_types.append(
        string_literal(checked_identifier(id_type, what ~ '[' ~ loop.index0 ~ ']'))) -%}
{%- endfor -%}
{%- set kept_types = kept_types | join(', ') if kept_types else string_literal('') -%}

with

oversized_nodes as (

    select distinct components.node_id
    from {{ ref('int_identity__components') }} as components
    inner join {{ ref('int_identity__oversized_components') }} as oversized
        on components.component_id = oversized.component_id

),

nodes as (

    select * from {{ ref('int_identity__nodes') }}
    where id_type in ({{ kept_types }})

)

select
    edges.node_a,
    edges.node_b
from {{ ref('int_identity__edges') }} as edges
inner join oversized_nodes on edges.node_a = oversized_nodes.node_id
inner join nodes as a on edges.node_a = a.node_id
inner join nodes as b on edges.node_b = b.node_id
where edges.link_type = 'record'
