{#
    The final roots of connected_components: the round maps composed backwards (see
    cc_compose_roots_sql). Long compositions (sorted ids make a path take a round per node) are
    materialized `chunk` maps at a time as `__cc_f<k>`, so no statement joins more than `chunk`
    maps. Returns `sql` (the materialization's select of node_id, component_id for every node)
    and `work_tables` (the `__cc_f<k>` tables it reads, to drop once `sql` has run).
#}
{% macro cc_compose_roots(base_relation, maps, chunk=10) -%}
    {%- set pending = maps[:-1] -%}
    {%- set head = ((pending | length) - 1) % chunk + 1 if pending else 0 -%}
    {%- set state = namespace(roots=maps[-1]) -%}
    {%- set work_tables = [] -%}
    {%- for start in range(head, pending | length, chunk) | reverse -%}
        {%- set composed = cc_work_relation(base_relation, 'f' ~ start) -%}
        {%- call statement('cc_compose') -%}
            {{ get_create_table_as_sql(
                False, composed, cc_compose_roots_sql(pending[start:start + chunk] + [state.roots])
            ) }}
        {%- endcall -%}
        {%- do work_tables.append(composed) -%}
        {%- set state.roots = composed -%}
    {%- endfor -%}
    {{ return({
        'sql': cc_compose_roots_sql(pending[:head] + [state.roots], as_labels=true),
        'work_tables': work_tables,
    }) }}
{%- endmacro %}
