{#
    Integer epoch text (or an integer column) in `unit` 's' or 'ms' to a UTC `timestamp`.
    Null unless the trimmed text is an integer of at most 12 (s) or 15 (ms) digits (bigger
    values would overflow the timestamp type) and the instant lies in var
    `cdp_valid_timestamp_range`.
#}
{% macro epoch_to_timestamp(expr, unit='s') -%}
    {%- if unit not in ['s', 'ms'] -%}
        {{ exceptions.raise_compiler_error("epoch_to_timestamp: unit 's' or 'ms', not " ~ unit) }}
    {%- endif -%}
    {%- set lower, upper = checked_list(
        var('cdp_valid_timestamp_range'), 'var cdp_valid_timestamp_range', length=2) -%}
    {%- set parsed = adapter.dispatch('epoch_to_timestamp', 'cdp')(expr, unit) -%}
    {{ return(within_range(parsed, lower, upper, 'timestamp',
        'var cdp_valid_timestamp_range')) }}
{%- endmacro %}

{# The interval is cast from text: integer * interval overflows 32 bits on some engines. #}
{% macro default__epoch_to_timestamp(expr, unit) -%}
    {%- set text = 'trim(cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ '))' -%}
    {%- set digits = 12 if unit == 's' else 15 -%}
    {%- set unit_name = 'seconds' if unit == 's' else 'milliseconds' -%}
    case
        when {{ regexp_like(text, '^-?[0-9]{1,' ~ digits ~ '}$') }}
            then cast('1970-01-01 00:00:00' as timestamp)
                + cast({{ text }} || ' {{ unit_name }}' as interval)
    end
{%- endmacro %}

{% macro duckdb__epoch_to_timestamp(expr, unit) -%}
    {%- set text = 'trim(cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ '))' -%}
    case
        {%- if unit == 's' %}
        when regexp_matches({{ text }}, '^-?[0-9]{1,12}$')
            then make_timestamp(cast({{ text }} as bigint) * 1000000)
        {%- else %}
        when regexp_matches({{ text }}, '^-?[0-9]{1,15}$')
            then epoch_ms(cast({{ text }} as bigint))
        {%- endif %}
    end
{%- endmacro %}

{# timestamp_seconds / timestamp_millis: Spark reads no interval from text like this. #}
{% macro spark__epoch_to_timestamp(expr, unit) -%}
    {%- set text = 'trim(cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ '))' -%}
    {%- set digits = 12 if unit == 's' else 15 -%}
    {%- set function = 'timestamp_seconds' if unit == 's' else 'timestamp_millis' -%}
    case
        when {{ regexp_like(text, '^-?[0-9]{1,' ~ digits ~ '}$') }}
            then {{ function }}(cast({{ text }} as bigint))
    end
{%- endmacro %}
