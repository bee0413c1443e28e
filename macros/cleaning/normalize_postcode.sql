{#
    Postcode upper-cased with whitespace normalised, plus the national layout where the
    country `country_expr` (ISO2) has a fixed one: GB puts one space before the inward code
    (`sw1a1aa` -> `SW1A 1AA`), US keeps the 5-digit ZIP of a ZIP+4 (`94105-1234` -> `94105`).
#}
{% macro normalize_postcode(expr, country_expr=none) -%}
    {%- set spaced = 'upper(trim(' ~ regexp_replace_all(expr, '\\s+', ' ') ~ '))' -%}
    {%- set compact = 'upper(' ~ regexp_replace_all(expr, '\\s+', '') ~ ')' -%}
    case upper({{ country_expr if country_expr is not none else 'null' }})
        when 'GB'
            then {{ regexp_replace_all(compact, '^([A-Z0-9]{2,4})([A-Z0-9]{3})$', '\\1 \\2') }}
        when 'US'
            then {{ regexp_replace_all(spaced, '^([0-9]{5})[ -]?[0-9]{4}$', '\\1') }}
        else {{ spaced }}
    end
{%- endmacro %}
