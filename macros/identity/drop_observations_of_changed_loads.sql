{#
    Pre-hook of int_identity__observations, which keeps the observations of every load it has
    read: drops those of loads that changed since (fewer clean rows after an erasure, gone
    after a full reload, another base fingerprint after a base rule changed), of sources whose
    base model is not incremental, and all of them when the model's own code changed.
    Comparing per-load counts costs a scan of each base model's load columns; comparing rows
    would cost as much as rebuilding.
#}
{% macro drop_observations_of_changed_loads() -%}
    {%- set live_loads = [] -%}
    {%- for source in identity_sources() if observes_loads_incrementally(source) -%}
        {%- do live_loads.append('select ' ~ string_literal(source.source_table)
            ~ ' as source_table, loads.* from (' ~ observed_loads(source) ~ ') as loads') -%}
    {%- endfor -%}
    {{ return(drop_rows_of_changed_loads(live_loads | join(' union all '),
        ['source_table', 'loaded_at', 'base_code_fingerprint', 'load_clean_rows'])) }}
{%- endmacro %}
