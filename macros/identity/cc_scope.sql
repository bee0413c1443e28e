{#
    What a connected_components run labels. With no previous run to build on (`labels` or
    `previous_edges` none: first run, --full-refresh, a snapshot lost in a crash) it is every
    edge of `edges`. Otherwise it is the touched part only (cc_touched_nodes_sql, materialized
    as `__cc_touched`), and the other nodes keep their previous labels. Returns `edges` (the
    round 0 edge list, a relation or a parenthesised select), `kept` (the select of the labels
    kept, or none) and `work_tables` (to drop once the labels are written).
#}
{% macro cc_scope(base_relation, labels, previous_edges, edges) -%}
    {%- if labels is none or previous_edges is none -%}
        {{ return({'edges': edges, 'kept': none, 'work_tables': []}) }}
    {%- endif -%}
    {%- set touched = cc_work_relation(base_relation, 'touched') -%}
    {%- call statement('cc_touched') -%}
        {{ get_create_table_as_sql(
            False, touched, cc_touched_nodes_sql(labels, previous_edges, edges)
        ) }}
    {%- endcall -%}
    {%- set touched_edges -%}
        (
            select
                edges.node_a,
                edges.node_b
            from {{ edges }} as edges
            inner join {{ touched }} as touched on edges.node_a = touched.node_id
        )
    {%- endset -%}
    {%- set kept -%}
        select
            labels.node_id,
            labels.component_id
        from {{ labels }} as labels
        where not exists (
            select 1 from {{ touched }} as touched
            where touched.node_id = labels.node_id
        )
    {%- endset -%}
    {{ return({'edges': touched_edges, 'kept': kept, 'work_tables': [touched]}) }}
{%- endmacro %}
