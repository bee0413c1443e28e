{#
    Generic test on a connected-components model: no edge of `edges` joins two components,
    and every node on an edge has one. Fails on any unconverged labelling.
#}
{% test components_converged(model, edges) %}
    select
        edges.node_a,
        edges.node_b,
        a.component_id as component_a,
        b.component_id as component_b
    from {{ edges }} as edges
    left join {{ model }} as a on edges.node_a = a.node_id
    left join {{ model }} as b on edges.node_b = b.node_id
    where
        a.component_id is null
        or b.component_id is null
        or a.component_id <> b.component_id
{% endtest %}
