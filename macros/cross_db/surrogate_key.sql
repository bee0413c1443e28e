{#
    md5 hex of the expressions cast to text and joined with '-', nulls replaced by a marker so
    (null, 'a') and ('', 'a') differ. Deterministic across runs and warehouses that share md5,
    so keys built today still match keys built from a re-load tomorrow.
#}
{% macro surrogate_key(expressions) -%}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append(
            "coalesce(cast(" ~ expression ~ " as " ~ dbt.type_string() ~ "), '_cdp_null_')"
        ) -%}
        {%- if not loop.last %}{% do parts.append("'-'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
