{#
    The salted hash of an identifier of type `id_type` (a Python string) whose matching form
    is the SQL `value`: sha256 of `<salt>|<type>|<value>`, `salt` being SQL for the
    warehouse's salt. Python's twin is `cdp.privacy.store.identifier_hash`.
#}
{% macro erasure_hash(salt, id_type, value) -%}
    {{ sha256_hex(salt ~ " || " ~ string_literal('|' ~ id_type ~ '|') ~ " || " ~ value) }}
{%- endmacro %}
