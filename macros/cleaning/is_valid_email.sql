{#
    True when an already normalised email (normalize_email) is valid per the data contract:
    `local@domain.tld` matching the contract regex, and no `..` anywhere.
#}
{% macro is_valid_email(expr) -%}
    ({{ regexp_like(expr, "^[a-z0-9._%+'-]+@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}$") }}
        and {{ expr }} not like '%..%')
{%- endmacro %}
