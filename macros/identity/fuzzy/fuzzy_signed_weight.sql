{#
    A match weight as evidence text with its sign and two decimals (`+7.41`, `-3.20`), the
    same characters on every engine (a decimal's text, never a double's).
#}
{% macro fuzzy_signed_weight(weight) -%}
    case when {{ weight }} >= 0 then '+' else '' end
    || cast(cast({{ round_to(weight, 2) }} as decimal(10, 2)) as {{ dbt.type_string() }})
{%- endmacro %}
