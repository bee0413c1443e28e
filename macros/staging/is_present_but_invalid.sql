{#
    True when a source field carried a real value (not null, not a null token) that cleaning
    could not turn into a typed/normalised value: the definition of a rejectable field.
#}
{% macro is_present_but_invalid(text_column, parsed_column) -%}
    ({{ text_column }} is not null and {{ parsed_column }} is null)
{%- endmacro %}
