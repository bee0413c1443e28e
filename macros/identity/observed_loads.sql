{#
    One row per load of a source's base model: `loaded_at`, the base rows' code fingerprint and
    how many clean rows the load has there. int_identity__observations stamps these on the rows
    it reads, and its pre-hook compares them with the base model as it is now: a load whose
    count or fingerprint changed (an erasure, a full reload, a changed base rule) is read
    again. Base models that are not incremental (a source added as a plain table) have no
    fingerprint and no stable loads: their rows are read again on every run.
#}
{% macro observed_loads(source) -%}
    {%- set fingerprinted = observes_loads_incrementally(source) -%}
    select
        loaded_at,
        {{ 'code_fingerprint' if fingerprinted
           else 'cast(null as ' ~ dbt.type_string() ~ ')' }} as base_code_fingerprint,
        count(*) as load_clean_rows
    from {{ ref(source.base_model) }}
    where reject_reason is null
    group by loaded_at{{ ', code_fingerprint' if fingerprinted }}
{%- endmacro %}
