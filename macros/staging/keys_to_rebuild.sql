{#
    The base read's filter of an incremental stg_ model: on an incremental run, only the keys
    the model no longer holds, which drop_rows_of_changed_keys has just dropped (every key of
    a clean base row is held after a run). `base_rows` is the alias of the base model's read.
#}
{% macro keys_to_rebuild(base_rows) -%}
    {%- if is_incremental() -%}
        {%- set key = config.get('unique_key') -%}
        {%- call per_run_filter() -%}
        and not exists (
            select 1 from {{ this }} as held where held.{{ key }} = {{ base_rows }}.{{ key }}
        )
        {%- endcall -%}
    {%- endif -%}
{%- endmacro %}
