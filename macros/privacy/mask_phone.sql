{#
    A phone for BI: every digit but the last two becomes `*`, other characters stay
    (`+447762135155` -> `+**********55`). Values of two characters or fewer lose every digit.
    The length guard comes first because PostgreSQL refuses a negative substring length.
#}
{% macro mask_phone(expr) -%}
    {{ return(adapter.dispatch('mask_phone', 'cdp')(expr)) }}
{%- endmacro %}

{% macro default__mask_phone(expr) -%}
    case
        when length({{ expr }}) > 2
            then {{ dbt.concat([
                regexp_replace_all(
                    "substring(" ~ expr ~ ", 1, length(" ~ expr ~ ") - 2)", '[0-9]', '*'),
                "substring(" ~ expr ~ ", length(" ~ expr ~ ") - 1)"]) }}
        else {{ regexp_replace_all(expr, '[0-9]', '*') }}
    end
{%- endmacro %}
