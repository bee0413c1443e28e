{#
    The filter of a model kept per load: on an incremental run, only rows of loads it does not
    hold (`held_loads`), or meeting `or_also`. `source_table` and `loaded_at` are SQL
    expressions of the rows read.
#}
{% macro loads_not_held(source_table, loaded_at, or_also=none) -%}
    {%- call per_run_filter() -%}
    {%- if is_incremental() %}
    where not exists (
        select 1 from held_loads
        where
            held_loads.source_table = {{ source_table }}
            and held_loads.loaded_at = {{ loaded_at }}
    )
    {%- if or_also %}
    or {{ or_also }}
    {%- endif %}
    {%- endif -%}
    {%- endcall -%}
{%- endmacro %}
