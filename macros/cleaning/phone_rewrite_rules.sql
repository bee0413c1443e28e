{#
    The ordered [pattern, replacement] rules that turn prepare_phone's `<ISO2>|<digits>`
    (national) or `+<digits>` (international) into E.164, built from var `cdp_phone_countries`
    (replacement none = invalid); phone_e164_from_prepared applies the first that matches.
    Per country, a national number may start with the calling code (digits-only
    international without `+`) or the trunk prefix, and what remains must be a national
    significant number (NSN) of the allowed length that does not itself start with the trunk
    prefix. International numbers of a known code get the same NSN check (an optional trunk
    prefix after the code, as in `+44 (0)20`, is dropped); any other code passes with 8-15
    digits. Returns a list of [pattern, replacement]. The var is untrusted text that becomes
    regexes: calling codes must be 1-3 digits (not starting with 0), trunk prefixes a quoted
    string of digits (`"0"`; YAML would read `0` as a number) and lengths integers with
    1 <= min <= max, else a compiler error naming the entry; country keys are regex-escaped.
#}
{% macro phone_rewrite_rules() -%}
    {%- set national, international, codes = [], [], [] -%}
    {%- for country, spec in var('cdp_phone_countries').items() -%}
        {%- set what = 'var cdp_phone_countries.' ~ country -%}
        {%- set code = spec.get('calling_code') -%}
        {%- set code = code | string if code is integer or code is string else none -%}
        {%- if code is none or not modules.re.fullmatch('[1-9][0-9]{0,2}', code) -%}
            {{ exceptions.raise_compiler_error(what ~ '.calling_code: '
                ~ shown_value(spec.get('calling_code')) ~ ' is not a calling code (1-3 digits)') }}
        {%- endif -%}
        {%- set trunk = spec.get('trunk_prefix') if spec.get('trunk_prefix') is not none
            else '' -%}
        {%- if trunk is not string or not modules.re.fullmatch('[0-9]{0,4}', trunk) -%}
            {{ exceptions.raise_compiler_error(what ~ '.trunk_prefix: ' ~ shown_value(trunk)
                ~ ' is not a quoted string of at most 4 digits ("0", or "" for none)') }}
        {%- endif -%}
        {%- set min_length = checked_number(
            spec['min_length'], what ~ '.min_length', integer=true, minimum=1) -%}
        {%- set max_length = checked_number(
            spec['max_length'], what ~ '.max_length', integer=true, minimum=min_length) -%}
        {%- if trunk | length == 1 -%}
            {%- set nsn = '[' ~ ('0123456789' | replace(trunk, '')) ~ '][0-9]{'
                ~ (min_length - 1) ~ ',' ~ (max_length - 1) ~ '}' -%}
        {%- else -%}
            {%- set nsn = '[0-9]{' ~ min_length ~ ',' ~ max_length ~ '}' -%}
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
