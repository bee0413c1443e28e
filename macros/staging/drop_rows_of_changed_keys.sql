{#
    Pre-hook of the incremental stg_ models, which keep one row per `unique_key` out of the
    clean rows of their base model. Drops every key whose rows may have changed since the last
    run: keys with base rows of a newer load (a new version, a late or repeated delivery), keys
    whose kept row left the base model or was rebuilt there (a full reload, an erasure, a
    changed rule: base_code_fingerprint) and, when this model's own code changed, all of them.
    The model then rebuilds exactly the keys it no longer holds (keys_to_rebuild).
#}
{% macro drop_rows_of_changed_keys() -%}
    {%- if not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set key = config.get('unique_key') -%}
    {%- set base = ref(model.refs[0]['name']) -%}
    {%- set changed -%}
        kept.code_fingerprint <> '{{ current_code_fingerprint() }}'
        or kept.{{ key }} in (
            select newer.{{ key }} from {{ base }} as newer
            where
                newer.reject_reason is null
                and newer.loaded_at > (select max(held.loaded_at) from {{ this }} as held)
            union all
            select held.{{ key }} from {{ this }} as held
            where not exists (
                select 1 from {{ base }} as still
                where
                    still.source_file = held.source_file
                    and still.source_row = held.source_row
                    and still.loaded_at = held.loaded_at
                    and still.code_fingerprint = held.base_code_fingerprint
                    and still.reject_reason is null
            )
        )
    {%- endset -%}
    {{ return(delete_rows_where(this, changed)) }}
{%- endmacro %}
