{#
    How strongly `comparison`'s level column agrees, for the household guard: 2 at its top
    level (exact), 1 at any other agreeing level or when a value is missing (no evidence
    either way), 0 when different. The guard wants 2 in all: a `different` needs an exact.
#}
{% macro fuzzy_agreement_points(comparison_name) -%}
    {%- set comparison = fuzzy_comparisons() | selectattr('name', 'equalto', comparison_name)
        | first -%}
    (case
        when {{ comparison_name }}_level = {{ comparison.levels[0][0] }} then 2
        when {{ comparison_name }}_level != 0 then 1
        else 0
    end)
{%- endmacro %}
