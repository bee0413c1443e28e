{#
    `case` picking, for the level in column `level_column` of `comparison`, the parameter
    `<alias>.<prefix>_<comparison>_<level>` (m or u of a wide parameter row); 1 when the level
    is -1 (a missing value) or `neutral` (a condition: the comparison says nothing there), so
    a product of these cases multiplies only the comparisons that speak.
#}
{% macro fuzzy_level_case(comparison, level_column, alias, prefix, neutral='false') -%}
    (case
        when {{ level_column }} < 0 or {{ neutral }} then 1.0
        {% for level in comparison.levels -%}
        when {{ level_column }} = {{ level[0] }}
            then {{ alias }}.{{ prefix }}_{{ comparison.name }}_{{ level[0] }}
        {% endfor -%}
    end)
{%- endmacro %}
