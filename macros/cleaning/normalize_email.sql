{#
    Email as written, made comparable: `lower(clean_text(expr))`. No validation (see
    is_valid_email), so staging can tell an invalid address from a missing one.
#}
{% macro normalize_email(expr) -%}
    lower({{ clean_text(expr) }})
{%- endmacro %}
