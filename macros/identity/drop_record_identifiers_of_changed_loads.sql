{#
    Pre-hook of int_identity__record_identifiers, kept per load like the observations it reads:
    drops the rows of loads the observations read again since (or built with other code), and
    all rows when its own code changed.
#}
{% macro drop_record_identifiers_of_changed_loads() -%}
    {%- set live_loads -%}
        select distinct
            source_table,
            loaded_at,
            base_code_fingerprint,
            load_clean_rows,
            code_fingerprint as observations_code_fingerprint
        from {{ ref('int_identity__observations') }}
    {%- endset -%}
    {{ return(drop_rows_of_changed_loads(live_loads, [
        'source_table', 'loaded_at', 'base_code_fingerprint', 'load_clean_rows',
        'observations_code_fingerprint'])) }}
{%- endmacro %}
