{#
    Drops the per-round work tables (`__cc_e<k>`, `__cc_m<k>`, `__cc_f<k>`, k <= max_rounds) a
    failed or interrupted run of a connected_components model left behind. Lookups go through
    dbt's relation cache, so only tables that exist cost a statement.
#}
{% macro cc_drop_work_relations(base_relation, max_rounds) -%}
    {%- for round in range(max_rounds + 1) -%}
        {%- for kind in ['e', 'm', 'f'] -%}
            {%- set work = cc_work_relation(base_relation, kind ~ round) -%}
            {%- set leftover = adapter.get_relation(
                database=work.database, schema=work.schema, identifier=work.identifier
            ) -%}
            {%- if leftover is not none -%}
                {%- do adapter.drop_relation(leftover) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endmacro %}
