{#
    Number of days in the month `month_expr` (1-12) of the year `year_expr` (Gregorian leap
    years), as a portable SQL expression for calendar checks such as rejecting `2024-02-30`.
#}
{% macro days_in_month(year_expr, month_expr) -%}
    case
        when {{ month_expr }} = 2
            then case
                when mod({{ year_expr }}, 4) = 0
                    and (mod({{ year_expr }}, 100) <> 0 or mod({{ year_expr }}, 400) = 0)
                    then 29
                else 28
            end
        when {{ month_expr }} in (4, 6, 9, 11) then 30
        else 31
    end
{%- endmacro %}
