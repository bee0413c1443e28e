{#
    Pre-hook of the incremental base models. Before new raw rows are appended, drop the rows
    whose raw row is gone (a full reload replaced its file, an erasure deleted it) and, when
    identifiers are suppressed, the rows carrying one (erasure_filter): a base model then holds
    exactly what a rebuild from raw would. Rows stamped with another code_fingerprint (a var or
    the code changed since they were built) all go: the model re-reads raw in full. Nothing on
    the first run or on --full-refresh.
#}
{% macro drop_base_rows_gone_from_raw() -%}
    {%- if not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set raw = source(model.sources[0][0], model.sources[0][1]) -%}
    {%- set erasure = [] -%}
    {%- for declared in identity_sources() if declared.base_model == model.name -%}
        {%- do erasure.append(erasure_filter(declared.source_table, this)) -%}
    {%- endfor -%}
    {%- set gone -%}
        not exists (
            select 1 from {{ raw }} as raw_rows
            where
                raw_rows._source_file = kept.source_file
                and raw_rows._source_row = kept.source_row
                and raw_rows._loaded_at = kept.loaded_at
        )
        or kept.code_fingerprint <> '{{ current_code_fingerprint() }}'
        {%- if erasure %} or not ({{ erasure[0] }}){% endif %}
    {%- endset -%}
    {{ return(delete_rows_where(this, gone)) }}
{%- endmacro %}
