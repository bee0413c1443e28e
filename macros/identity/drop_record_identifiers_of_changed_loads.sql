{#
    Pre-hook of int_identity__record_identifiers, kept per load like the observations it reads:
    drops the rows of loads the observations read again since (or built with other code), and
    all rows when its own code changed.
#}
{% macro drop_record_identifiers_of_changed_loads() -%}
    {{ return(drop_rows_of_changed_upstream_loads(ref('int_identity__observations'), [
        'source_table', 'loaded_at', 'base_code_fingerprint', 'load_clean_rows',
        'observations_code_fingerprint'])) }}
{%- endmacro %}
