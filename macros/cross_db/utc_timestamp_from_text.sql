{#
    ISO text with an offset (`2024-01-02 03:04:05.123+01:00`, as parse_datetime_by_regex builds
    it) to the UTC `timestamp` (no time zone) it names.
#}
{% macro utc_timestamp_from_text(text_expr) -%}
    {{ return(adapter.dispatch('utc_timestamp_from_text', 'cdp')(text_expr)) }}
{%- endmacro %}

{% macro default__utc_timestamp_from_text(text_expr) -%}
    (cast({{ text_expr }} as timestamp with time zone) at time zone 'UTC')
{%- endmacro %}

{#
    Spark's timestamp is an instant: the cast applies the offset, and the profile's session
    time zone (UTC) shows it as UTC. Null (ANSI mode off) when the text is no timestamp.
#}
{% macro spark__utc_timestamp_from_text(text_expr) -%}
    cast({{ text_expr }} as timestamp)
{%- endmacro %}
