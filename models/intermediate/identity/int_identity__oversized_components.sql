{#
    Components holding more identifiers of a type than one person can (var
    `cdp_identity_person_limits.max`, e.g. more than 3 CRM contacts): superclusters glued
    together by weak links. They are re-resolved from their strong links only. Types are
    checked identifiers (quoted with `string_literal`) and limits checked integers >= 0.
#}
{%- set limits = {} -%}
{%- for id_type, limit in var('cdp_identity_person_limits')['max'].items() -%}
    {%- set id_type = checked_identifier(id_type, 'var cdp_identity_person_limits.max key') -%}
    {%- do limits.update({id_type: checked_number(
        limit, 'var cdp_identity_person_limits.max.' ~ id_type, integer=true, minimum=0)}) -%}
{%- endfor -%}
{%- set limited_types = [] -%}
{%- for id_type in limits -%}
    {%- do limited_types.append(string_literal(id_type)) -%}
{%- endfor -%}
{%- set limited_types = limited_types | join(', ') if limited_types else string_literal('') -%}

with

counts as (

    select
        components.component_id,
        nodes.id_type,
        count(*) as identifiers
    from {{ ref('int_identity__components') }} as components
    inner join {{ ref('int_identity__nodes') }} as nodes
        on components.node_id = nodes.node_id
    where nodes.id_type in ({{ limited_types }})
    group by components.component_id, nodes.id_type

)

select
    component_id,
    id_type,
    identifiers,
    case id_type
        {%- for id_type, limit in limits.items() %}
        when {{ string_literal(id_type) }} then {{ limit }}
        {%- endfor %}
    end as person_limit
from counts
where
    {%- for id_type, limit in limits.items() %}
    (id_type = {{ string_literal(id_type) }} and identifiers > {{ limit }})
    {%- if not loop.last %} or{% endif %}
    {%- endfor %}
