{#
    `value` (a var's date or timestamp: a validity bound, the traits instant) as text
    `YYYY-MM-DD`, optionally followed by ` HH:MM:SS` (or `T`) and up to 6 fraction digits, or
    a compiler error naming `what`. A date YAML parsed itself (unquoted `2000-01-01`) counts
    by its text. Callers quote the result with `string_literal` and cast it: every engine
    reads this form, and nothing else of the var reaches SQL.
#}
{% macro checked_date(value, what) -%}
    {%- set text = value if value is string
        else (value | string if value.isoformat is defined else none) -%}
    {%- if text is none or not modules.re.fullmatch(
        '[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])'
        ~ '([ T]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,6})?)?', text) -%}
        {{ exceptions.raise_compiler_error(
            what ~ ": " ~ shown_value(value) ~ " is not a date (YYYY-MM-DD)"
            ~ " or timestamp (YYYY-MM-DD HH:MM:SS)") }}
    {%- endif -%}
    {{ return(text) }}
{%- endmacro %}
