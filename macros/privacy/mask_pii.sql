{#
    `expr` masked by its column's `meta.pii` kind (DECISIONLOG "PII tags and masked views"):
    email, phone and name keep a hint (first letter and domain, last two digits, initials);
    birth_date keeps the year; identifier and ip become their SHA-256 (still joinable, never
    readable); address and free_text become null (street lines, postcodes, raw records and
    ticket text have no safe partial form). An unknown kind fails compilation, so a typo in
    the YAML never lets a column through unmasked.
#}
{% macro mask_pii(expr, kind) -%}
    {%- if kind == 'email' -%} {{ mask_email(expr) }}
    {%- elif kind == 'phone' -%} {{ mask_phone(expr) }}
    {%- elif kind == 'name' -%} {{ mask_name(expr) }}
    {%- elif kind == 'birth_date' -%} {{ mask_birth_date(expr) }}
    {%- elif kind in ('identifier', 'ip') -%} {{ sha256_hex(expr) }}
    {%- elif kind in ('address', 'free_text') -%} cast(null as {{ dbt.type_string() }})
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "meta.pii " ~ shown_value(kind) ~ " is not a PII kind (email, phone, name,"
            ~ " address, birth_date, identifier, free_text, ip)") }}
    {%- endif -%}
{%- endmacro %}
