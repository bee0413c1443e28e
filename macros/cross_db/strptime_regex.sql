{#
    Compiles a strptime format (`%Y-%m-%dT%H:%M:%S%z`) into an anchored regex whose groups
    only admit in-range fields (month 01-12, hour 00-23, ...), and the group number of each
    field: {'pattern': ..., 'groups': {'Y': 1, 'm': 2, ..., 'zh': 7, 'zm': 8}}. Lets
    warehouses without a non-raising strptime validate text before casting it.
    Supported: %Y %m %d %H %M %S %f (1-6 digits) %z (+hh:mm or +hhmm) %% and literals.
#}
{% macro strptime_regex(format) -%}
    {%- set fields = {
        'Y': [['Y', '([0-9]{4})']],
        'm': [['m', '(0[1-9]|1[0-2])']],
        'd': [['d', '(0[1-9]|[12][0-9]|3[01])']],
        'H': [['H', '([01][0-9]|2[0-3])']],
        'M': [['M', '([0-5][0-9])']],
        'S': [['S', '([0-5][0-9])']],
        'f': [['f', '([0-9]{1,6})']],
        'z': [['zh', '([+-][0-9]{2})'], ['zm', ':?([0-9]{2})']],
    } -%}
    {%- set ns = namespace(pattern='^', directive=false, group=0) -%}
    {%- set groups = {} -%}
    {%- for char in format -%}
        {%- if ns.directive -%}
            {%- if char == '%' -%}
                {%- set ns.pattern = ns.pattern ~ '%' -%}
            {%- elif char in fields -%}
                {%- for name, regex in fields[char] -%}
                    {%- set ns.group = ns.group + 1 -%}
                    {%- do groups.update({name: ns.group}) -%}
                    {%- set ns.pattern = ns.pattern ~ regex -%}
                {%- endfor -%}
            {%- else -%}
                {{ exceptions.raise_compiler_error('strptime_regex: %' ~ char ~ ' in ' ~ format) }}
            {%- endif -%}
            {%- set ns.directive = false -%}
        {%- elif char == '%' -%}
            {%- set ns.directive = true -%}
        {%- else -%}
            {%- set ns.pattern = ns.pattern ~ regexp_escape(char) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return({'pattern': ns.pattern ~ '$', 'groups': groups}) }}
{%- endmacro %}
