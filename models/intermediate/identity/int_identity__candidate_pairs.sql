{#
    One row per pair of match records at least one blocking rule put side by side, with the
    first rule (in var order) that did, whether the names fit better crossed, and the level of
    every comparison (fuzzy_compared_pairs). Scoring happens in int_identity__scored_pairs.
#}
{%- set fuzzy = fuzzy_settings() -%}

with

pairs as (

    select
        contact_a,
        contact_b,
        min(rule_order) as blocking_rule_order
    from {{ ref('int_identity__blocked_pairs') }}
    group by contact_a, contact_b

),

compared as (

    {{ fuzzy_compared_pairs('pairs', ['blocking_rule_order']) }}

)

select
    *,
    {% if fuzzy.rules -%}
    case blocking_rule_order
        {% for rule in fuzzy.rules -%}
        when {{ rule.order }} then {{ string_literal(rule.name) }}
        {% endfor -%}
    end
    {%- else -%}
    cast(null as {{ dbt.type_string() }})
    {%- endif %} as blocking_rule
from compared
