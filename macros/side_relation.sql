{#
    The table `<identifier>__<suffix>` beside `base_relation`, in its schema: the work and
    state tables of a model (connected components' rounds and edge list, the person scope
    and remembered inputs of a model kept per person). Deriving the name from the model's
    keeps concurrent models from colliding and lets a later run find a failed run's leftovers.
#}
{% macro side_relation(base_relation, suffix) -%}
    {{ return(api.Relation.create(
        database=base_relation.database,
        schema=base_relation.schema,
        identifier=base_relation.identifier ~ '__' ~ suffix,
        type='table'
    )) }}
{%- endmacro %}
