{#
    Whether int_identity__observations keeps a source's observations from run to run: its
    base model is incremental, so each load's rows stay as they were read unless the load's
    count or the base model's code fingerprint changes (base models that are incremental all
    stamp one: drop_base_rows_gone_from_raw requires it).
#}
{% macro observes_loads_incrementally(source) -%}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ source.base_model)
        if execute else none -%}
    {{ return(node is not none and node.config.materialized == 'incremental') }}
{%- endmacro %}
