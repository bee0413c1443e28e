{#
    The level of every comparison of fuzzy_comparisons for a pair of match records whose
    columns (of int_identity__match_records) are named `a` and `b` + the column name, for
    example `a.` or `joined.a_`, as `<comparison>_level` columns.
    Names are compared in the orientation that fits best, so a contact typed with first and
    last name exchanged compares as exact (`names_swapped`, the caller's column). Levenshtein
    counts characters on every engine, so levels are the same on DuckDB, PostgreSQL, Spark.
#}
{% macro fuzzy_comparison_levels(a, b, swapped) -%}
    {%- set b_first = 'case when ' ~ swapped ~ ' then ' ~ b ~ 'last_name else '
        ~ b ~ 'first_name end' -%}
    {%- set b_first_canonical = 'case when ' ~ swapped ~ ' then ' ~ b ~ 'last_name else '
        ~ b ~ 'first_name_canonical end' -%}
    {%- set b_given_names = 'case when ' ~ swapped ~ ' then null else '
        ~ b ~ 'first_name_given_names end' -%}
    {%- set b_last = 'case when ' ~ swapped ~ ' then ' ~ b ~ 'first_name else '
        ~ b ~ 'last_name end' -%}
    case
        when {{ a }}first_name is null or ({{ b_first }}) is null then -1
        when {{ a }}first_name = ({{ b_first }}) then 5
        when levenshtein({{ a }}first_name, {{ b_first }}) <= 1 then 4
        when {{ a }}first_name_canonical = ({{ b_first_canonical }})
            or {{ dbt.position("'|' || " ~ b_first ~ " || '|'", a ~ 'first_name_given_names') }} > 0
            or {{ dbt.position("'|' || " ~ a ~ "first_name || '|'", b_given_names) }} > 0
            or {{ a }}first_name = substr({{ b_first }}, 1, length({{ a }}first_name))
            or ({{ b_first }}) = substr({{ a }}first_name, 1, length({{ b_first }})) then 3
        when {{ string_similarity(a ~ 'first_name', b_first) }} >= 0.6 then 2
        else 0
    end as first_name_level,
    case
        when {{ a }}last_name is null or ({{ b_last }}) is null then -1
        when {{ a }}last_name = ({{ b_last }}) then 4
        when levenshtein({{ a }}last_name, {{ b_last }}) <= 1 then 3
        when {{ string_similarity(a ~ 'last_name', b_last) }} >= 0.6 then 2
        else 0
    end as last_name_level,
    case
        when {{ a }}date_of_birth is null or {{ b }}date_of_birth is null then -1
        when {{ a }}date_of_birth = {{ b }}date_of_birth then 4
        when {{ a }}birth_year = {{ b }}birth_year and {{ a }}birth_month = {{ b }}birth_day
            and {{ a }}birth_day = {{ b }}birth_month then 3
        when levenshtein({{ a }}birth_date_text, {{ b }}birth_date_text) <= 1 then 2
        else 0
    end as date_of_birth_level,
    case
        when ({{ a }}address is null or {{ b }}address is null)
            and ({{ a }}postal_code is null or {{ b }}postal_code is null)
            and ({{ a }}city is null or {{ b }}city is null) then -1
        when {{ a }}address = {{ b }}address and {{ a }}postal_code = {{ b }}postal_code
            then 4
        when {{ string_similarity(a ~ 'address', b ~ 'address') }} >= 0.7
            and (coalesce(levenshtein({{ a }}postal_code, {{ b }}postal_code), 0) <= 1)
            then 3
        when {{ a }}postal_code = {{ b }}postal_code then 2
        when levenshtein({{ a }}postal_code, {{ b }}postal_code) <= 1
            or {{ a }}city = {{ b }}city then 1
        else 0
    end as location_level,
    case
        when {{ a }}email is null or {{ b }}email is null then -1
        when {{ a }}email = {{ b }}email then 1
        else 0
    end as email_level,
    case
        when {{ a }}phone is null or {{ b }}phone is null then -1
        when {{ a }}phone = {{ b }}phone then 1
        else 0
    end as phone_level
{%- endmacro %}
