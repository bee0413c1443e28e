{#
    An email for BI: the local part's first character, `***@` and the domain
    (`chloe.smith@yahoo.co.uk` -> `c***@yahoo.co.uk`), so domains can still be counted. Text
    without a local part and `@` (not an email) becomes `***`, never shown. `position` and
    `substring` count characters on every engine, so the result is the same text everywhere.
#}
{% macro mask_email(expr) -%}
    {{ return(adapter.dispatch('mask_email', 'cdp')(expr)) }}
{%- endmacro %}

{% macro default__mask_email(expr) -%}
    case
        when {{ dbt.position("'@'", expr) }} > 1
            then {{ dbt.concat([
                "substring(" ~ expr ~ ", 1, 1)", "'***@'",
                "substring(" ~ expr ~ ", " ~ dbt.position("'@'", expr) ~ " + 1)"]) }}
        when {{ expr }} is not null then '***'
    end
{%- endmacro %}
