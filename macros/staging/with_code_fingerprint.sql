{#
    Wraps an incremental model's query and stamps its rows with `code_fingerprint`: a
    hash of the model's compiled SQL without its per_run_filter. The SQL carries every var
    and macro the model reads, so when a var (cdp_valid_timestamp_range, cdp_null_tokens, ...) or
    the code changes, the fingerprint does, and the pre-hook drops the rows built the old way:
    the model rebuilds them all, as a full refresh would.
#}
{% macro with_code_fingerprint() -%}
    {%- set query = caller() -%}
    select
        fingerprinted.*,
        '{{ code_fingerprint_of(query) }}' as code_fingerprint
    from (
        {{ query }}
    ) as fingerprinted
{%- endmacro %}
