{#
    Text to a UTC `timestamp` (no time zone), trying each strptime format in `formats` in
    order; `%z` offsets (`+01:00`) are converted to UTC, formats without one are read as UTC.
    Null when no format matches, the value is impossible (`2024-02-30`) or outside var
    `cdp_valid_timestamp_range`: a bad value is a rejected row, never a failed model.
#}
{% macro parse_timestamp(expr, formats) -%}
    {%- set formats = [formats] if formats is string else formats -%}
    {%- set lower, upper = checked_list(
        var('cdp_valid_timestamp_range'), 'var cdp_valid_timestamp_range', length=2) -%}
    {%- set parsed = adapter.dispatch('parse_timestamp', 'cdp')(expr, formats) -%}
    {{ return(within_range(parsed, lower, upper, 'timestamp',
        'var cdp_valid_timestamp_range')) }}
{%- endmacro %}

{# Best effort: only %Y %m %d %H %M %S %f %z and literals (see strptime_regex). #}
{% macro default__parse_timestamp(expr, formats) -%}
    coalesce(
        {%- for format in formats %}
        {{ parse_datetime_by_regex('trim(' ~ expr ~ ')', format) }}{{ ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}

{#
    try_strptime gives a timestamptz for %z formats, converted to UTC here:
    https://duckdb.org/docs/stable/sql/functions/dateformat
#}
{% macro duckdb__parse_timestamp(expr, formats) -%}
    coalesce(
        {%- for format in formats %}
        {%- set parsed = "try_strptime(" ~ expr ~ ", " ~ string_literal(format) ~ ")" %}
        {{ "timezone('UTC', " ~ parsed ~ ")" if '%z' in format else parsed }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}
