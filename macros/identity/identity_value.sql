{#
    The matching form of an identifier of `id_type` (staging has already validated and
    normalised emails and phones): emails get their canonical form (Gmail dots, +tags), ids
    that are case-insensitive by nature (UUIDs, hex tokens, account ids) are lower-cased, and
    business keys (CRM, loyalty) upper-cased, so `crm-1` and `CRM-1` are one node.
#}
{% macro identity_value(id_type, expr) -%}
    {%- if id_type == 'email' -%}
        {{ canonical_email(expr) }}
    {%- elif id_type == 'phone' -%}
        {{ expr }}
    {%- elif id_type in ['crm_id', 'loyalty_id'] -%}
        upper(trim({{ expr }}))
    {%- else -%}
        lower(trim({{ expr }}))
    {%- endif -%}
{%- endmacro %}
