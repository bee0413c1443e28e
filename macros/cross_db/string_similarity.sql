{#
    Similarity of two strings in [0, 1], 1 = equal; null when either is null. DuckDB has
    Jaro-Winkler, which forgives typos near the end of names and rewards shared prefixes. The
    default is normalised Levenshtein (`levenshtein` is built into Spark; PostgreSQL needs the
    fuzzystrmatch extension), stricter on transpositions: fuzzy-match thresholds in var
    `cdp_identity_fuzzy` were tuned on DuckDB.
#}
{% macro string_similarity(a, b) -%}
    {{ return(adapter.dispatch('string_similarity', 'cdp')(a, b)) }}
{%- endmacro %}

{% macro default__string_similarity(a, b) -%}
    (1.0 - cast(levenshtein({{ a }}, {{ b }}) as double precision)
        / nullif(greatest(length({{ a }}), length({{ b }})), 0))
{%- endmacro %}

{% macro duckdb__string_similarity(a, b) -%}
    jaro_winkler_similarity({{ a }}, {{ b }})
{%- endmacro %}

{# The default's normalised Levenshtein; Spark spells the type `double`. #}
{% macro spark__string_similarity(a, b) -%}
    (1.0 - cast(levenshtein({{ a }}, {{ b }}) as double)
        / nullif(greatest(length({{ a }}), length({{ b }})), 0))
{%- endmacro %}
