{#
    Trims, collapses inner whitespace runs to one space, and returns null when what is left
    is a null token (var `cdp_null_tokens`, any case): `'  N/A '` is no value, never a value
    to validate and reject. One regex replace blanks the tokens, so `expr` is evaluated once.
#}
{% macro clean_text(expr) -%}
    {%- set tokens = [] -%}
    {%- for token in var('cdp_null_tokens') if token | trim -%}
        {%- do tokens.append(regexp_escape(token | trim)) -%}
    {%- endfor -%}
    {%- set text = 'cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ ')' -%}
    {%- set collapsed = 'trim(' ~ regexp_replace_all(text, '\\s+', ' ') ~ ')' -%}
    {%- if tokens -%}
        nullif({{ regexp_replace_all(collapsed, '(?i)^(?:' ~ tokens | join('|') ~ ')$', '') }}, '')
    {%- else -%}
        nullif({{ collapsed }}, '')
    {%- endif -%}
{%- endmacro %}
