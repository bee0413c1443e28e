{#
    Pre-hook of int_identity__observations, which keeps the observations of every load it has
    read: drops those of loads that changed since (fewer clean rows after an erasure, gone
    after a full reload, another base fingerprint after a base rule changed), of sources whose
    base model is not incremental, and all of them when the model's own code changed. The
    model then reads exactly the loads it no longer holds. Comparing per-load counts costs a
    scan of each base model's load column; comparing rows would cost as much as rebuilding.
#}
{% macro drop_observations_of_changed_loads() -%}
    {%- if not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set held_columns = adapter.get_columns_in_relation(this) | map(attribute='name')
        | map('lower') | list -%}
    {%- if 'load_clean_rows' not in held_columns -%}
        {{ exceptions.raise_compiler_error(
            this ~ " was built by an earlier version (no load_clean_rows column): rebuild it"
            ~ " once with `dbt build --full-refresh --select int_identity__observations`") }}
    {%- endif -%}
    {%- set live_loads = [] -%}
    {%- for source in identity_sources() if observes_loads_incrementally(source) -%}
        {%- do live_loads.append('select ' ~ string_literal(source.source_table)
            ~ ' as source_table, loads.* from (' ~ observed_loads(source) ~ ') as loads') -%}
    {%- endfor -%}
    {%- set changed -%}
        kept.code_fingerprint <> '{{ current_code_fingerprint() }}'
        {%- if live_loads %}
        or not exists (
            select 1 from ({{ live_loads | join(' union all ') }}) as live
            where
                live.source_table = kept.source_table
                and live.loaded_at = kept.loaded_at
                and live.base_code_fingerprint = kept.base_code_fingerprint
                and live.load_clean_rows = kept.load_clean_rows
        )
        {%- else %}
        or true
        {%- endif %}
    {%- endset -%}
    {{ return(delete_rows_where(this, changed)) }}
{%- endmacro %}
