{#
    Wraps the part of an incremental model's SQL that differs from run to run (a filter on what
    the model already holds). The markers let with_code_fingerprint leave it out of the model's
    code_fingerprint, which must only change when the code or a var does.
#}
{% macro per_run_filter() -%}
    /* per_run_filter */ {{ caller() }} /* end per_run_filter */
{%- endmacro %}
