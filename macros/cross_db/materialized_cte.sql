{#
    The keyword between `<name> as` and `(` that makes the engine compute a CTE once, where
    its planner would otherwise fold the CTE into the query that reads it. DuckDB 2.0 folds
    comparison_patterns' random pairs into the group by above them and evaluates each pair's
    `names_swapped` (four edit distances) once per reference: 17 s instead of 4.5 s at 100k
    persons; and the EM rounds' E step once per m and u column (9.6 s instead of 2.0 s).
    PostgreSQL (12 and later) takes the same keyword; Spark has none.
    Twin of computed_once (base models, PostgreSQL only, written when DuckDB 1.x computed
    CTEs once). They should become one macro once the base models are timed with
    `materialized` on DuckDB 2.0; until then each keeps the engines it was measured on.
#}
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'cdp')()) }}
{%- endmacro %}

{% macro default__materialized_cte() -%}
    {{ return('materialized') }}
{%- endmacro %}

{% macro spark__materialized_cte() -%}
    {{ return('') }}
{%- endmacro %}
