{#
    An identifier's integer id: stable_hash of `<id_type>:<id_value>`. int_identity__identifiers
    numbers identifiers with it and int_identity__record_identifiers numbers observations with
    it, so the two always agree.
#}
{% macro identifier_number(id_type, id_value) -%}
    {{ stable_hash(id_type ~ " || ':' || " ~ id_value) }}
{%- endmacro %}
