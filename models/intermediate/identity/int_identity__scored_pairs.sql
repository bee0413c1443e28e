{#
    Every candidate pair scored by the Fellegi-Sunter model (int_identity__match_weights): its
    Bayes factor is the prior odds times m / u of each comparison's level (missing values weigh
    nothing), `match_probability` = factor / (1 + factor) and `match_weight` its log2. The
    probability is a product of the stored parameters in a fixed order, the same number on
    every engine. A pair is a match at `match_threshold` or above unless the household guard
    refuses it: every comparison of `household_guard` (first name, birth date)
    present and disagreeing is a relative at the same address, not a second record of the
    same person. `match_evidence` spells out each comparison's level and weight.
#}
{%- set fuzzy = fuzzy_settings() -%}
{%- set comparisons = fuzzy_comparisons() -%}
{%- set double = type_double() -%}

with

parameters as (

    select
        max(case when comparison = 'prior' then m_probability / u_probability end)
            as prior_odds,
        {% for comparison in comparisons %}{% for level in comparison.levels -%}
        {%- set this_level = 'comparison = ' ~ string_literal(comparison.name)
            ~ ' and level = ' ~ level[0] -%}
        max(case when {{ this_level }} then m_probability / u_probability end)
            as bf_{{ comparison.name }}_{{ level[0] }},
        max(case when {{ this_level }} then match_weight end)
            as w_{{ comparison.name }}_{{ level[0] }},
        {% endfor %}{% endfor -%}
        max(case when comparison = 'prior' then match_weight end) as w_prior
    from {{ ref('int_identity__match_weights') }}

),

factored as (

    select
        pairs.*,
        parameters.w_prior,
        {% for comparison in comparisons -%}
        {%- set level = 'pairs.' ~ comparison.name ~ '_level' %}
        case
            when {{ level }} < 0 then 0.0
            else {{ fuzzy_level_case(comparison, level, 'parameters', 'w') }}
        end as {{ comparison.name }}_weight,
        {% endfor -%}
        parameters.prior_odds
        {% for comparison in comparisons -%}
        * {{ fuzzy_level_case(
            comparison, 'pairs.' ~ comparison.name ~ '_level', 'parameters', 'bf') }}
        {% endfor %} as bayes_factor
    from {{ ref('int_identity__candidate_pairs') }} as pairs
    cross join parameters

),

scored as (

    select
        *,
        bayes_factor / (1 + bayes_factor) as match_probability,
        case
            when bayes_factor / (1 + bayes_factor) < {{ fuzzy.match_threshold }}
                then 'below_threshold'
            {% if fuzzy.guard -%}
            when {% for name in fuzzy.guard -%}
                {{ fuzzy_agreement_points(name) }}{{ ' + ' if not loop.last }}
            {%- endfor %} < 2
                then 'household_guard'
            {%- endif %}
        end as reject_reason
    from factored

)

select
    contact_a,
    contact_b,
    record_a,
    record_b,
    blocking_rule,
    names_swapped,
    {% for comparison in comparisons %}{{ comparison.name }}_level,
    {{ comparison.name }}_weight,
    {% endfor -%}
    cast({{ round_to('ln(bayes_factor) / ln(2)', 4) }} as {{ double }}) as match_weight,
    match_probability,
    reject_reason is null as is_match,
    reject_reason,
    {% for comparison in comparisons -%}
    {{ string_literal(comparison.name ~ ' ') }}
    || case {{ comparison.name }}_level
        when -1 then 'missing'
        {% for level in comparison.levels -%}
        when {{ level[0] }} then {{ string_literal(level[1]) }}
        {% endfor -%}
    end
    || ' ' || {{ fuzzy_signed_weight(comparison.name ~ '_weight') }} || '; '
    ||
    {% endfor -%}
    'prior ' || {{ fuzzy_signed_weight('w_prior') }} as match_evidence
from scored
