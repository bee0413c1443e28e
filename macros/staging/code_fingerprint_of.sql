{#
    The fingerprint of compiled SQL `code`: a hash of it without its per_run_filter parts, so
    it changes when the code or a var does, never from one run to the next.
#}
{% macro code_fingerprint_of(code) -%}
    {%- set per_run_part = '/[*] per_run_filter [*]/.*?/[*] end per_run_filter [*]/' -%}
    {{ return(local_md5(modules.re.sub(per_run_part, '', code, flags=modules.re.S))[:16]) }}
{%- endmacro %}
