{#
    The work table `<identifier>__cc_<suffix>` of a connected_components model, in the model's
    schema: deriving names from the identifier keeps concurrent models from colliding and lets
    a later run find and drop the leftovers of a failed one.
#}
{% macro cc_work_relation(base_relation, suffix) -%}
    {{ return(api.Relation.create(
        database=base_relation.database,
        schema=base_relation.schema,
        identifier=base_relation.identifier ~ '__cc_' ~ suffix,
        type='table'
    )) }}
{%- endmacro %}
