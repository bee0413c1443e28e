{#
    The matching form of an identifier of `id_type`, per var `cdp_identity_matching_forms`
    (staging has already validated and normalised emails and phones): `canonical_email`
    (Gmail dots, +tags), `as_is` (E.164 phones), `upper` (trimmed: business keys such as CRM
    and loyalty ids, so `crm-1` and `CRM-1` are one node) or `lower` (trimmed: ids that are
    case-insensitive by nature, UUIDs, hex tokens, account ids), the default for a type the
    var does not list. Types and forms are checked: a typo is a compiler error naming it.
#}
{% macro identity_value(id_type, expr) -%}
    {%- set forms = var('cdp_identity_matching_forms', {}) -%}
    {%- if forms is not mapping -%}
        {{ exceptions.raise_compiler_error(
            "var cdp_identity_matching_forms: expected a mapping of identifier types to"
            ~ " canonical_email, as_is, upper or lower, got " ~ shown_value(forms)) }}
    {%- endif -%}
    {%- set types = checked_list(var('cdp_identity_types'), 'var cdp_identity_types') -%}
    {%- for listed_type in forms -%}
        {%- set listed_type = checked_identifier(
            listed_type, 'var cdp_identity_matching_forms key') -%}
        {%- if listed_type not in types -%}
            {{ exceptions.raise_compiler_error(
                "var cdp_identity_matching_forms: identifier type " ~ shown_value(listed_type)
                ~ " is not in var cdp_identity_types") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set form = forms.get(id_type, 'lower') -%}
    {%- if form == 'canonical_email' -%}
        {{ canonical_email(expr) }}
    {%- elif form == 'as_is' -%}
        {{ expr }}
    {%- elif form == 'upper' -%}
        upper(trim({{ expr }}))
    {%- elif form == 'lower' -%}
        lower(trim({{ expr }}))
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "var cdp_identity_matching_forms." ~ id_type ~ ": " ~ shown_value(form)
            ~ " is not a matching form (use canonical_email, as_is, upper, lower)") }}
    {%- endif -%}
{%- endmacro %}
