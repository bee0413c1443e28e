{#
    Similarity of two strings in [0, 1], 1 = equal; null when either is null: normalised
    Levenshtein, 1 - edits / length of the longer string (in characters), with one meaning on
    every engine so var `cdp_identity_fuzzy` thresholds mean the same everywhere (DuckDB's
    Jaro-Winkler, used before, rated the same pairs differently). Two empty strings are equal.
    `levenshtein` counts characters on DuckDB, PostgreSQL (fuzzystrmatch, created by
    prepare_warehouse) and Spark alike.
#}
{% macro string_similarity(a, b) -%}
    {{ return(adapter.dispatch('string_similarity', 'cdp')(a, b)) }}
{%- endmacro %}

{% macro default__string_similarity(a, b) -%}
    (1.0 - cast(levenshtein({{ a }}, {{ b }}) as {{ type_double() }})
        / coalesce(nullif(greatest(length({{ a }}), length({{ b }})), 0), 1))
{%- endmacro %}
