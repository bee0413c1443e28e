{#
    Drops the work tables a failed or interrupted run of a connected_components model left
    behind: per round `__cc_e<k>`, `__cc_m<k>`, `__cc_f<k>` (k <= max_rounds), and
    `__cc_touched`, `__cc_edges_next` (never the `__cc_edges` snapshot). Lookups go through
    dbt's relation cache, so only tables that exist cost a statement.
#}
{% macro cc_drop_work_relations(base_relation, max_rounds) -%}
    {%- set suffixes = ['touched', 'edges_next'] -%}
    {%- for round in range(max_rounds + 1) -%}
        {%- do suffixes.extend(['e' ~ round, 'm' ~ round, 'f' ~ round]) -%}
    {%- endfor -%}
    {%- for suffix in suffixes -%}
        {%- set work = cc_work_relation(base_relation, suffix) -%}
        {%- set leftover = adapter.get_relation(
            database=work.database, schema=work.schema, identifier=work.identifier
        ) -%}
        {%- if leftover is not none -%}
            {%- do adapter.drop_relation(leftover) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
