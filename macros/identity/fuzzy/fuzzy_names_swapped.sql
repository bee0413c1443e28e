{#
    True when records `a` and `b` fit better with first and last name exchanged (a contact
    typed surname first): the crossed names are closer than the straight ones. Null names
    count as unlike anything, so a half-missing name never looks swapped. Names equal as
    typed are never swapped (crossed at most 2, straight 2 + 0.5 needed): most pairs are
    such, and the check spares them four edit distances.
#}
{% macro fuzzy_names_swapped(a, b) -%}
    (case
        when {{ a }}.first_name = {{ b }}.first_name and {{ a }}.last_name = {{ b }}.last_name
            then false
        else coalesce({{ string_similarity(a ~ '.first_name', b ~ '.last_name') }}, 0)
            + coalesce({{ string_similarity(a ~ '.last_name', b ~ '.first_name') }}, 0)
            > coalesce({{ string_similarity(a ~ '.first_name', b ~ '.first_name') }}, 0)
            + coalesce({{ string_similarity(a ~ '.last_name', b ~ '.last_name') }}, 0) + 0.5
    end)
{%- endmacro %}
