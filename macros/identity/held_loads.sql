{#
    The `held_loads` CTE (with its trailing comma) of a model kept per load: the loads it
    holds, on an incremental run only. A per_run_filter: what it holds is not its code.
    loads_not_held filters against it.
#}
{% macro held_loads() -%}
    {%- call per_run_filter() -%}
    {%- if is_incremental() %}
held_loads as (

    select distinct
        source_table,
        loaded_at
    from {{ this }}

),
    {%- endif -%}
    {%- endcall -%}
{%- endmacro %}
