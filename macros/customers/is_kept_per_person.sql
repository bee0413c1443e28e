{#
    Whether `relation` is a model kept per person (its pre-hook is
    drop_rows_of_changed_persons): looked up in the graph, so it holds for any folder the
    configuration names.
#}
{% macro is_kept_per_person(relation) -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.alias == relation.identifier
                and node.schema == relation.schema -%}
            {%- for hook in node.config['pre-hook'] -%}
                {%- if 'drop_rows_of_changed_persons' in hook.sql -%}
                    {{ return(true) }}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(false) }}
{%- endmacro %}
