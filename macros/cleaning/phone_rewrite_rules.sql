{#
    The ordered [pattern, replacement] rules that turn prepare_phone's `<ISO2>|<digits>`
    (national) or `+<digits>` (international) into E.164, built from var `cdp_phone_countries`
    (replacement none = invalid); phone_e164_from_prepared applies the first that matches. Per country, a national number may start with the calling code (digits-only
    international without `+`) or the trunk prefix, and what remains must be a national
    significant number (NSN) of the allowed length that does not itself start with the trunk
    prefix. International numbers of a known code get the same NSN check (an optional trunk
    prefix after the code, as in `+44 (0)20`, is dropped); any other code passes with 8-15
    digits. Returns a list of [pattern, replacement].
#}
{% macro phone_rewrite_rules() -%}
    {%- set national, international, codes = [], [], [] -%}
    {%- for country, spec in var('cdp_phone_countries').items() -%}
        {%- set code = spec['calling_code'] | string -%}
        {%- set trunk = (spec['trunk_prefix'] or '') | string -%}
        {%- if trunk | length == 1 -%}
            {%- set nsn = '[' ~ ('0123456789' | replace(trunk, '')) ~ '][0-9]{'
                ~ (spec['min_length'] - 1) ~ ',' ~ (spec['max_length'] - 1) ~ '}' -%}
        {%- else -%}
            {%- set nsn = '[0-9]{' ~ spec['min_length'] ~ ',' ~ spec['max_length'] ~ '}' -%}
        {%- endif -%}
        {%- set prefixes = [code] + ([trunk] if trunk and trunk != code else []) -%}
        {%- do national.append([
            '^' ~ regexp_escape(country | upper) ~ '\\|'
                ~ '(?:' ~ prefixes | join('|') ~ ')?(' ~ nsn ~ ')$',
            '+' ~ code ~ '\\1'
        ]) -%}
        {%- set rule = [
            '^\\+' ~ code ~ ('(?:' ~ trunk ~ ')?' if trunk else '') ~ '(' ~ nsn ~ ')$',
            '+' ~ code ~ '\\1'
        ] -%}
        {%- if rule not in international -%}
            {%- do international.append(rule) -%}
        {%- endif -%}
        {%- if code not in codes -%}
            {%- do codes.append(code) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(national + international + [
        ['^\\+(?:' ~ codes | join('|') ~ ')', none],
        ['^\\+([1-9][0-9]{7,14})$', '+\\1'],
    ]) }}
{%- endmacro %}
