{#
    The counts the Fellegi-Sunter model is estimated from: one row per source of pairs and
    distinct combination of comparison levels. `rule_order` 0 is a sample of random pairs
    (u probabilities: random pairs are almost all different people); 1.. are the pairs each
    blocking rule produced (`pairs`; `first_pairs`: those no earlier rule had), where EM
    estimates the m probabilities. The sample pairs record k with records k+1..k+S in md5
    order of contact id (S so that about `u_sample_pairs` pairs result): the same sample on
    every engine, so the same weights and edges.
#}
{%- set fuzzy = fuzzy_settings() -%}
{%- set levels = [] -%}
{%- for comparison in fuzzy_comparisons() -%}
    {%- do levels.append(comparison.name ~ '_level') -%}
{%- endfor -%}

with

ranked as (

    select
        contact_id,
        row_number() over (order by md5(contact_id), contact_id) as record_rank,
        count(*) over () as records
    from {{ ref('int_identity__match_records') }}

),

shifts as (

    select record_rank as shift
    from ranked
    where
        record_rank < records
        and (record_rank = 1 or record_rank * records <= {{ fuzzy.u_sample_pairs }})

),

sample_pairs as (

    select
        a.contact_id as contact_a,
        b.contact_id as contact_b
    from ranked as a
    cross join shifts
    inner join ranked as b
        on b.record_rank = mod(a.record_rank - 1 + shifts.shift, a.records) + 1

),

{# Computed once (materialized_cte): folded into the group by, names_swapped ran per use. #}
random_pairs as {{ materialized_cte() }} (

    select
        0 as rule_order,
        compared.*
    from ({{ fuzzy_compared_pairs('sample_pairs') }}) as compared

),

blocked_pairs as (

    select
        blocked.rule_order,
        case when blocked.rule_order = candidates.blocking_rule_order then 1 else 0 end
            as is_first,
        {% for level in levels %}candidates.{{ level }}{{ ',' if not loop.last }}
        {% endfor %}
    from {{ ref('int_identity__blocked_pairs') }} as blocked
    inner join {{ ref('int_identity__candidate_pairs') }} as candidates
        on blocked.contact_a = candidates.contact_a and blocked.contact_b = candidates.contact_b

)

select
    rule_order,
    {% for level in levels %}{{ level }},
    {% endfor -%}
    count(*) as pairs,
    count(*) as first_pairs
from random_pairs
group by rule_order, {{ levels | join(', ') }}

union all

select
    rule_order,
    {% for level in levels %}{{ level }},
    {% endfor -%}
    count(*) as pairs,
    sum(is_first) as first_pairs
from blocked_pairs
group by rule_order, {{ levels | join(', ') }}
