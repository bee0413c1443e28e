{#
    Portable strptime for warehouses without a non-raising one (used by the default__ parsers):
    `text_expr` in strptime `format` to a UTC timestamp (or a date with `as_date`), null when
    the text does not match or names an impossible day (`2024-02-30`). The regex from
    strptime_regex checks field ranges; days_in_month checks the day; nested `case` keeps the
    casts from running on rows that failed a check.
#}
{% macro parse_datetime_by_regex(text_expr, format, as_date=false) -%}
    {%- set compiled = strptime_regex(format) -%}
    {%- set groups = compiled.groups -%}
    {%- if not ('Y' in groups and 'm' in groups and 'd' in groups) -%}
        {{ exceptions.raise_compiler_error('parse_datetime_by_regex: no %Y/%m/%d in ' ~ format) }}
    {%- endif -%}
    {%- set ref = {} -%}
    {%- for name, default in [['Y', none], ['m', none], ['d', none], ['H', '00'], ['M', '00'],
                              ['S', '00'], ['f', '0'], ['zh', '+00'], ['zm', '00']] -%}
        {%- do ref.update({name: ('\\' ~ groups[name]) if name in groups else default}) -%}
    {%- endfor -%}
    {%- set iso = ref.Y ~ '-' ~ ref.m ~ '-' ~ ref.d -%}
    {%- if not as_date -%}
        {%- set iso = iso ~ ' ' ~ ref.H ~ ':' ~ ref.M ~ ':' ~ ref.S ~ '.' ~ ref.f
            ~ ref.zh ~ ':' ~ ref.zm -%}
    {%- endif -%}
    {%- set pattern = compiled.pattern -%}
    {%- set year = 'cast(' ~ regexp_replace_all(text_expr, pattern, ref.Y) ~ ' as integer)' -%}
    {%- set month = 'cast(' ~ regexp_replace_all(text_expr, pattern, ref.m) ~ ' as integer)' -%}
    {%- set day = 'cast(' ~ regexp_replace_all(text_expr, pattern, ref.d) ~ ' as integer)' -%}
    {%- set iso_text = regexp_replace_all(text_expr, pattern, iso) -%}
    case
        when {{ regexp_like(text_expr, pattern) }}
            then case
                when {{ day }} <= {{ days_in_month(year, month) }}
                    {%- if as_date %}
                    then cast({{ iso_text }} as date)
                    {%- else %}
                    then {{ utc_timestamp_from_text(iso_text) }}
                    {%- endif %}
            end
    end
{%- endmacro %}
