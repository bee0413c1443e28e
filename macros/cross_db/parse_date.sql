{#
    Text to a `date`, trying each strptime format in `formats` in order (`%Y-%m-%d`); null
    when no format matches, the day does not exist (`2023-02-29`) or it lies outside var
    `cdp_valid_date_range`.
#}
{% macro parse_date(expr, formats) -%}
    {%- set formats = [formats] if formats is string else formats -%}
    {%- set lower, upper = checked_list(
        var('cdp_valid_date_range'), 'var cdp_valid_date_range', length=2) -%}
    {%- set parsed = adapter.dispatch('parse_date', 'cdp')(expr, formats) -%}
    {{ return(within_range(parsed, lower, upper, 'date', 'var cdp_valid_date_range')) }}
{%- endmacro %}

{# Best effort: only %Y %m %d and literals (see strptime_regex). #}
{% macro default__parse_date(expr, formats) -%}
    coalesce(
        {%- for format in formats %}
        {{ parse_datetime_by_regex('trim(' ~ expr ~ ')', format, as_date=true) }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}

{% macro duckdb__parse_date(expr, formats) -%}
    coalesce(
        {%- for format in formats %}
        cast(try_strptime({{ expr }}, {{ string_literal(format) }}) as date)
        {{- ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}
