{#
    Components holding more identifiers of a type than one person can (var
    `cdp_identity_person_limits.max`, e.g. more than 3 CRM contacts): superclusters glued
    together by weak links. They are re-resolved from their strong links only.
#}
{%- set limits = var('cdp_identity_person_limits')['max'] -%}
{%- set limited_types = "'" ~ (limits | join("', '")) ~ "'" -%}

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
        when '{{ id_type }}' then {{ limit | int }}
        {%- endfor %}
    end as person_limit
from counts
where
    {%- for id_type, limit in limits.items() %}
    (id_type = '{{ id_type }}' and identifiers > {{ limit | int }})
    {%- if not loop.last %} or{% endif %}
    {%- endfor %}
