{#
    ISO 3166-1 alpha-2 code (upper case) from a two-letter code or a free-text name listed in
    var `cdp_country_aliases` (`United Kingdom`, `USA`, `Deutschland`); null for anything else.
    Names are matched after clean_text and upper-casing, so `  united   kingdom ` is GB. The
    var's texts are quoted with `string_literal` (escaped for the adapter, never pasted).
#}
{% macro normalize_country(expr) -%}
    {%- set name = 'upper(' ~ clean_text(expr) ~ ')' -%}
    case {{ name }}
        {%- for alias, code in var('cdp_country_aliases').items() %}
        when {{ string_literal(alias | upper) }} then {{ string_literal(code | upper) }}
        {%- endfor %}
        else nullif({{ regexp_replace_all(name, '(?s)^([A-Z]{2})$|^.*$', '\\1') }}, '')
    end
{%- endmacro %}
