{#
    SELECT of every blocking rule's patterns (CTE `rule_patterns`) with the two parts of the
    EM posterior under the wide parameter row `params` of that rule: `match_part` = prior x
    product of m, `non_match_part` = (1 - prior) x product of the rule's own u. A
    comparison whose blocking keys bias it in a rule (`excluded`: comparison -> condition on
    p.rule_order) is left out there, as are missing values.
#}
{% macro fuzzy_em_posterior(params, excluded) -%}
    {%- set comparisons = fuzzy_comparisons() -%}
    select
        p.rule_order,
        p.pairs,
        p.first_pairs,
        {% for comparison in comparisons %}p.{{ comparison.name }}_level,
        {% endfor -%}
        w.match_prior
        {% for comparison in comparisons -%}
        * {{ fuzzy_level_case(comparison, 'p.' ~ comparison.name ~ '_level', 'w', 'm',
            excluded[comparison.name]) }}
        {% endfor %} as match_part,
        (1 - w.match_prior)
        {% for comparison in comparisons -%}
        * {{ fuzzy_level_case(comparison, 'p.' ~ comparison.name ~ '_level', 'w', 'u',
            excluded[comparison.name]) }}
        {% endfor %} as non_match_part
    from rule_patterns as p
    inner join {{ params }} as w on p.rule_order = w.rule_order
{%- endmacro %}
