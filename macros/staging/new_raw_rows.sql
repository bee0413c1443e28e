{#
    The filter of an incremental base model's raw read: on an incremental run, only the rows of
    loads it has not read yet (every load stamps its rows with one `_loaded_at`; a full reload
    stamps them all anew, and drop_base_rows_gone_from_raw has then dropped the old images).
    Empty on the first run and on --full-refresh. The markers keep it out of the model's
    code_fingerprint (with_code_fingerprint), which must not change from run to run.
#}
{% macro new_raw_rows() -%}
    {%- if is_incremental() -%}
        /* new_raw_rows */
        where _loaded_at not in (select distinct loaded_at from {{ this }})
        /* end new_raw_rows */
    {%- endif -%}
{%- endmacro %}
