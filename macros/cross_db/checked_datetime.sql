{#
    The tail both parse_datetime_by_regex variants share: the text matched the anchored
    `pattern`, and `day_sql` names a day of its month, before the ISO text is cast (nested
    `case`, so no cast runs on a row that failed a check). Each variant reads the fields its
    own way; this keeps the checks and the casts in one place.
#}
{% macro checked_datetime(text_expr, pattern, year_sql, month_sql, day_sql, iso_sql, as_date) -%}
    case
        when {{ regexp_like(text_expr, pattern) }}
            then case
                when cast({{ day_sql }} as integer)
                    <= {{ days_in_month('cast(' ~ year_sql ~ ' as integer)',
                                        'cast(' ~ month_sql ~ ' as integer)') }}
                    {%- if as_date %}
                    then cast({{ iso_sql }} as date)
                    {%- else %}
                    then {{ utc_timestamp_from_text(iso_sql) }}
                    {%- endif %}
            end
    end
{%- endmacro %}
