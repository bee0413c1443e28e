{#
    Wraps an incremental model's query and stamps its rows with `code_fingerprint`: a
    hash of the model's compiled SQL without its per_run_filter. The SQL carries every var
    and macro the model reads, so when a var (cdp_valid_timestamp_range, cdp_null_tokens, ...) or
    the code changes, the fingerprint does, and the pre-hook drops the rows built the old way:
    the model rebuilds them all, as a full refresh would.
#}
{% macro with_code_fingerprint() -%}
    {%- set query = caller() -%}
    {%- set per_run_part = '/[*] per_run_filter [*]/.*?/[*] end per_run_filter [*]/' -%}
    {%- set code = modules.re.sub(per_run_part, '', query, flags=modules.re.S) -%}
    select
        fingerprinted.*,
        '{{ local_md5(code)[:16] }}' as code_fingerprint
    from (
        {{ query }}
    ) as fingerprinted
{%- endmacro %}
