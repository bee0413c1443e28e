{#
    Phone text to E.164 (`+14155552671`), or null when it cannot be normalised, per the data
    contract: national numbers are read in `country_expr` (ISO2; null -> var
    `cdp_default_phone_country`), lengths come from var `cdp_phone_countries`. One expression
    for ad-hoc use; models run prepare_phone and phone_e164_from_prepared in two CTEs.
#}
{% macro normalize_phone(expr, country_expr=none) -%}
    {{ phone_e164_from_prepared(prepare_phone(expr, country_expr)) }}
{%- endmacro %}
