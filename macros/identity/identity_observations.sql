{#
    One row per (record, identifier) of a source's clean rows: the identity graph's raw
    material. `rows` is the relation or CTE of the rows to read (with the base model's columns
    plus the load columns of observed_loads); `identifiers` is a list of [id_type, column]
    pairs (a type may come from several columns, e.g. two phone columns); `observed_at` is
    the SQL expression dating the record. The source table and types are written as literals
    (`string_literal`); the callers pass the checked declarations of `identity_sources()`.
#}
{% macro identity_observations(rows, source_table, observed_at, identifiers) -%}
    {%- for id_type, column in identifiers %}
    select
        {{ string_literal(source_table) }} as source_table,
        source_record_key,
        {{ string_literal(id_type) }} as id_type,
        {{ identity_value(id_type, column) }} as id_value,
        {{ observed_at }} as observed_at,
        loaded_at,
        base_code_fingerprint,
        load_clean_rows
    from {{ rows }}
    where {{ column }} is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
