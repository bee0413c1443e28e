{#
    Wraps an incremental base model's query and stamps its rows with `code_fingerprint`: a hash
    of the model's compiled SQL without new_raw_rows' per-run filter. The SQL carries every var
    and macro the model reads, so when a var (cdp_valid_timestamp_range, cdp_null_tokens, ...) or
    the code changes, the fingerprint does, and drop_base_rows_gone_from_raw drops the rows built
    the old way: the model re-reads all of raw, as a rebuild would.
#}
{% macro with_code_fingerprint() -%}
    {%- set query = caller() -%}
    {%- set per_run_filter = '/[*] new_raw_rows [*]/.*?/[*] end new_raw_rows [*]/' -%}
    {%- set code = modules.re.sub(per_run_filter, '', query, flags=modules.re.S) -%}
    select
        fingerprinted.*,
        '{{ local_md5(code)[:16] }}' as code_fingerprint
    from (
        {{ query }}
    ) as fingerprinted
{%- endmacro %}
