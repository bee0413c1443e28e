{#
    The CTEs `params_1` .. `params_<last>` of EM rounds `first`+1 .. `last` after CTE `params_<first>`
    (wide rows, one per blocking rule: match_prior, m_* and u_* of every level) over CTE
    `rule_patterns`: the E step (fuzzy_em_posterior) and the M step (shares of expected
    matches and non-matches per level, rounded to 10 places). A missing level falls back to
    `initial_m` (m) or uniform (u). Text for a WITH clause, each CTE followed by a comma.
    The E step's CTEs are computed once (materialized_cte): every m and u column of the next
    round reads them, and inlined they were evaluated per column.
#}
{% macro fuzzy_em_rounds(first, last, excluded, initial_m) -%}
    {%- set double = type_double() -%}
    {%- set comparisons = fuzzy_comparisons() -%}
{% for round in range(first, last) %}
posterior_{{ round }} as {{ materialized_cte() }} (

    {{ fuzzy_em_posterior('params_' ~ round, excluded) }}

),

expected_{{ round }} as {{ materialized_cte() }} (

    select
        *,
        coalesce(pairs * match_part / nullif(match_part + non_match_part, 0), 0) as matches
    from posterior_{{ round }}

),

params_{{ round + 1 }} as (

    select
        rule_order,
        cast({{ round_to('sum(matches) / sum(pairs)', 10) }} as {{ double }}) as match_prior,
        {% for comparison in comparisons %}{% for level in comparison.levels -%}
        {% for part, weight in [('m', 'matches'), ('u', 'pairs - matches')] -%}
        coalesce(cast({{ round_to(
            'sum(case when ' ~ comparison.name ~ '_level = ' ~ level[0] ~ ' then ' ~ weight
            ~ ' else 0 end) / nullif(sum(case when ' ~ comparison.name ~ '_level >= 0'
            ~ ' then ' ~ weight ~ ' else 0 end), 0)', 10) }} as {{ double }}),
            {{ initial_m[comparison.name ~ '_' ~ level[0]] if part == 'm'
                else '1.0 / ' ~ comparison.levels | length }})
            as {{ part }}_{{ comparison.name }}_{{ level[0] }}{{ ',' if not loop.last }}
        {% endfor %}{{ ',' if not loop.last }}
        {% endfor %}{{ ',' if not loop.last }}
        {% endfor %}
    from expected_{{ round }}
    group by rule_order

),
{% endfor %}

{%- endmacro %}
