{#
    `value` (text from YAML or a var: an audience description, a null token) as a complete SQL
    string literal, quotes included, that reads back as exactly `value` on the active adapter.
    Use it for every configured text pasted into SQL: `'{{ value }}'` lets a quote end the
    literal and inject SQL. Standard SQL (DuckDB, PostgreSQL with standard_conforming_strings,
    the default since 9.1) only doubles quotes; Spark reads backslash escapes in literals, so
    there backslashes must be escaped first (dbt-spark's `escape_single_quotes` does not, which
    makes `dbt.escape_single_quotes` unsafe there: a trailing `\` would eat the closing quote).
#}
{% macro string_literal(value) -%}
    {%- if value is none -%}
        {{ exceptions.raise_compiler_error("string_literal: the value is none (null is not text)") }}
    {%- endif -%}
    {{ return(adapter.dispatch('string_literal', 'cdp')(value | string)) }}
{%- endmacro %}

{% macro default__string_literal(value) -%}
    {{ return("'" ~ value | replace("'", "''") ~ "'") }}
{%- endmacro %}

{% macro spark__string_literal(value) -%}
    {{ return("'" ~ value | replace('\\', '\\\\') | replace("'", "\\'") ~ "'") }}
{%- endmacro %}
