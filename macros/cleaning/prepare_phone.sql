{#
    First step of phone normalisation: phone text to `+<digits>` when it was written with an
    international prefix (`+`, `00`, or `011` in calling-code-1 countries), else
    `<ISO2>|<digits>` (national, with the country to read it in: `country_expr`, or var
    `cdp_default_phone_country` when that is null), or `!` when it holds letters or symbols no
    phone has. A trailing `ext`/`x` extension and `(0)` after an international prefix are
    dropped. phone_e164_from_prepared finishes the job; models run the two steps in separate
    CTEs so the compiled SQL stays shallow.
#}
{% macro prepare_phone(expr, country_expr=none) -%}
    {%- set default_country = string_literal(var('cdp_default_phone_country') | upper) -%}
    {%- set nanp = [] -%}
    {%- for country, spec in var('cdp_phone_countries').items() -%}
        {%- if spec['calling_code'] | string == '1' -%}
            {%- do nanp.append(regexp_escape(country | upper)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set country = default_country if country_expr is none
        else 'coalesce(upper(' ~ clean_text(country_expr) ~ '), ' ~ default_country ~ ')' -%}

    {#- Drop the extension; mark stray letters/symbols or a non-leading `+` invalid; drop `(0)`
        after an international prefix; keep only digits, `+` and the invalid mark. -#}
    {%- set ns = namespace(sql='lower(trim(cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ ')))') -%}
    {%- for pattern, replacement in [
        ['\\s*(?:ext(?:ension)?|x)[.:]?\\s*[0-9]+$', ''],
        ['(?s)^(?:.*[^0-9\\s().+/-].*|.+\\+.*)$', '!'],
        ['^((?:\\+|00|011)[^(]*)\\(0\\)', '\\1'],
        ['[^0-9+!]', ''],
    ] -%}
        {%- set ns.sql = regexp_replace_all(ns.sql, pattern, replacement) -%}
    {%- endfor -%}

    {#- Prefix the country (`US|...`), then turn an international prefix into `+`. -#}
    {%- set international_prefix = '[^|]*\\|(?:\\+|00)'
        ~ ('|(?:' ~ nanp | join('|') ~ ')\\|011' if nanp else '') -%}
    {{ regexp_replace_all(
        country ~ " || '|' || " ~ ns.sql,
        '^(?:' ~ international_prefix ~ ')([1-9])',
        '+\\1'
    ) }}
{%- endmacro %}
