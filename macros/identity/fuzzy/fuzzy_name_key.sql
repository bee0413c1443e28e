{#
    A phonetic-ish blocking key of a cleaned name: its first letter and the next three
    consonants (vowels, h, w and y dropped), so `catherine`/`cathryn` -> `ctrn` and
    `smith`/`smyth` -> `smt`. Portable where soundex is not (DuckDB has none); a typo in the
    first letter or a consonant escapes it, which the other blocking rules are for.
#}
{% macro fuzzy_name_key(name) -%}
    substr(substr({{ name }}, 1, 1)
        || {{ regexp_replace_all('substr(' ~ name ~ ', 2)', '[aeiouhwy]', '') }}, 1, 4)
{%- endmacro %}
