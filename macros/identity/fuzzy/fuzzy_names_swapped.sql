{#
    True when records `a` and `b` fit better with first and last name exchanged (a contact
    typed surname first): the crossed names are closer than the straight ones. Null names
    count as unlike anything, so a half-missing name never looks swapped.
#}
{% macro fuzzy_names_swapped(a, b) -%}
    (coalesce({{ string_similarity(a ~ '.first_name', b ~ '.last_name') }}, 0)
        + coalesce({{ string_similarity(a ~ '.last_name', b ~ '.first_name') }}, 0)
        > coalesce({{ string_similarity(a ~ '.first_name', b ~ '.first_name') }}, 0)
        + coalesce({{ string_similarity(a ~ '.last_name', b ~ '.last_name') }}, 0) + 0.5)
{%- endmacro %}
