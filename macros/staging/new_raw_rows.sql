{#
    The filter of an incremental base model's raw read: on an incremental run, only the rows of
    loads it has not read yet (every load stamps its rows with one `_loaded_at`; a full reload
    stamps them all anew, and drop_base_rows_gone_from_raw has then dropped the old images).
    Empty on the first run and on --full-refresh.
#}
{% macro new_raw_rows() -%}
    {%- if is_incremental() -%}
        {%- call per_run_filter() -%}
        where _loaded_at not in (select distinct loaded_at from {{ this }})
        {%- endcall -%}
    {%- endif -%}
{%- endmacro %}
