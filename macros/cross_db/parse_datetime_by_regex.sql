{#
    Portable strptime for warehouses without a non-raising one (used by the default__ parsers):
    `text_expr` in strptime `format` to a UTC timestamp (or a date with `as_date`), null when
    the text does not match or names an impossible day (`2024-02-30`). The regex from
    strptime_regex checks field ranges; days_in_month checks the day; nested `case` keeps the
    casts from running on rows that failed a check.
#}
{% macro parse_datetime_by_regex(text_expr, format, as_date=false) -%}
    {{ return(adapter.dispatch('parse_datetime_by_regex', 'cdp')(text_expr, format, as_date)) }}
{%- endmacro %}

{% macro default__parse_datetime_by_regex(text_expr, format, as_date) -%}
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
    {{ checked_datetime(text_expr, pattern, regexp_replace_all(text_expr, pattern, ref.Y),
                        regexp_replace_all(text_expr, pattern, ref.m),
                        regexp_replace_all(text_expr, pattern, ref.d),
                        regexp_replace_all(text_expr, pattern, iso), as_date) }}
{%- endmacro %}

{#
    PostgreSQL: the same checks and casts, but the fields are cut out of the matched text with
    substring() wherever their place is fixed, not with one regexp_replace per field. Reading a
    group's text makes PostgreSQL's regex engine find every group (dissect), several times the
    cost of the match alone. Places are fixed from the left for a field after fixed-width parts
    only, from the right for one before fixed-width parts only (%f is 1-6 digits and %z's colon
    is optional); any other field keeps its regexp_replace. The text matched the anchored
    pattern first, so both ways read the same characters.
#}
{% macro postgres__parse_datetime_by_regex(text_expr, format, as_date) -%}
    {%- set compiled = strptime_regex(format) -%}
    {%- set groups = compiled.groups -%}
    {%- if not ('Y' in groups and 'm' in groups and 'd' in groups) -%}
        {{ exceptions.raise_compiler_error('parse_datetime_by_regex: no %Y/%m/%d in ' ~ format) }}
    {%- endif -%}
    {#- The matched text as parts: [group name or none, width or none when it varies]. -#}
    {%- set widths = {'Y': 4, 'm': 2, 'd': 2, 'H': 2, 'M': 2, 'S': 2, 'f': none} -%}
    {%- set parts = [] -%}
    {%- set ns = namespace(directive=false, left=0, right=0) -%}
    {%- for char in format -%}
        {%- if ns.directive and char == 'z' -%}
            {%- do parts.extend([['zh', 3], [none, none], ['zm', 2]]) -%}
        {%- elif ns.directive and char in widths -%}
            {%- do parts.append([char, widths[char]]) -%}
        {%- elif ns.directive or char != '%' -%}
            {%- do parts.append([none, 1]) -%}
        {%- endif -%}
        {%- set ns.directive = (not ns.directive and char == '%') -%}
    {%- endfor -%}
    {%- set field = {} -%}
    {%- for name, width in parts -%}
        {%- set ns.left = 0 -%}
        {%- set ns.right = 0 -%}
        {%- for part in parts[:loop.index0] -%}
            {%- set ns.left = none if ns.left is none or part[1] is none
                else ns.left + part[1] -%}
        {%- endfor -%}
        {%- for part in parts[loop.index0 + 1:] -%}
            {%- set ns.right = none if ns.right is none or part[1] is none
                else ns.right + part[1] -%}
        {%- endfor -%}
        {%- if name is none -%}
            {#- a literal or %z's optional colon: nothing to read -#}
        {%- elif width is not none and ns.left is not none -%}
            {%- do field.update({name: 'substring(' ~ text_expr ~ ', ' ~ (ns.left + 1) ~ ', '
                ~ width ~ ')'}) -%}
        {%- elif width is not none and ns.right is not none -%}
            {%- do field.update({name: 'substring(' ~ text_expr ~ ', length(' ~ text_expr
                ~ ') - ' ~ (ns.right + width - 1) ~ ', ' ~ width ~ ')'}) -%}
        {%- elif ns.left is not none and ns.right is not none -%}
            {%- do field.update({name: 'substring(' ~ text_expr ~ ', ' ~ (ns.left + 1)
                ~ ', length(' ~ text_expr ~ ') - ' ~ (ns.left + ns.right) ~ ')'}) -%}
        {%- else -%}
            {%- do field.update({name: regexp_replace_all(
                text_expr, compiled.pattern, '\\' ~ groups[name])}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set ref = {} -%}
    {%- for name, default in [['H', "'00'"], ['M', "'00'"], ['S', "'00'"], ['f', "'0'"],
                              ['zh', "'+00'"], ['zm', "'00'"]] -%}
        {%- do ref.update({name: field.get(name, default)}) -%}
    {%- endfor -%}
    {%- set iso = field.Y ~ " || '-' || " ~ field.m ~ " || '-' || " ~ field.d -%}
    {%- if not as_date -%}
        {%- set iso = iso ~ " || ' ' || " ~ ref.H ~ " || ':' || " ~ ref.M ~ " || ':' || " ~ ref.S
            ~ " || '.' || " ~ ref.f ~ ' || ' ~ ref.zh ~ " || ':' || " ~ ref.zm -%}
    {%- endif -%}
    {{ checked_datetime(text_expr, compiled.pattern, field.Y, field.m, field.d, iso, as_date) }}
{%- endmacro %}
