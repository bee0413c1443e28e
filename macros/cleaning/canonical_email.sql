{#
    Matching key of a normalised, valid email, per the data contract: Gmail ignores dots and
    `+tag` in the local part and googlemail.com is gmail.com; the plus-addressing domains in var
    `cdp_plus_address_domains` ignore `+tag`. Other addresses are returned unchanged (Yahoo's
    `-` aliases are not plus tags).
#}
{% macro canonical_email(expr) -%}
    {%- set plus_domains = [] -%}
    {%- for domain in var('cdp_plus_address_domains') -%}
        {%- do plus_domains.append(string_literal(domain | lower)) -%}
    {%- endfor -%}
    {%- set local_part = regexp_replace_all(expr, '@[^@]*$', '') -%}
    {%- set domain = regexp_replace_all(expr, '^.*@', '') -%}
    {%- set untagged_local_part = regexp_replace_all(local_part, '^([^+]+)\\+.*$', '\\1') -%}
    case
        when {{ domain }} in ('gmail.com', 'googlemail.com')
            then replace({{ untagged_local_part }}, '.', '') || '@gmail.com'
        {%- if plus_domains %}
        when {{ domain }} in ({{ plus_domains | join(', ') }})
            then {{ untagged_local_part }} || '@' || {{ domain }}
        {%- endif %}
        else {{ expr }}
    end
{%- endmacro %}
