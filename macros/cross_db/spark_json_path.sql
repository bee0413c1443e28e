{#
    A list of keys (`['context', 'page', 'url']`) as a quoted Spark JSON path
    (`'$.context.page.url'`, `'$['a b']'` for other keys); integers become array indexes.
    Compile-time helper of the spark__ JSON macros (get_json_object, variant_get).
#}
{% macro spark_json_path(path) -%}
    {%- set steps = [path] if path is string else path -%}
    {%- set ns = namespace(text='$') -%}
    {%- for step in steps -%}
        {%- if step is number -%}
            {%- set ns.text = ns.text ~ '[' ~ step ~ ']' -%}
        {%- elif "'" in step or ']' in step -%}
            {{ exceptions.raise_compiler_error('spark_json_path: key with a quote or ]: ' ~ step) }}
        {%- elif modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', step) -%}
            {%- set ns.text = ns.text ~ '.' ~ step -%}
        {%- else -%}
            {%- set ns.text = ns.text ~ "['" ~ step ~ "']" -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(string_literal(ns.text)) }}
{%- endmacro %}
