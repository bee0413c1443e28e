{#
    The whole body of a models/pii_masked/ model: `select` every column of the mart
    `model_name`, each column its YAML tags `meta: {pii: <kind>}` masked by `mask_pii`, the
    others as they are. The view takes the mart's name (alias) in the pii_masked schema, so BI
    roles read `pii_masked.dim_customers` instead of `marts.dim_customers`. Columns and kinds
    come from the manifest (`graph`), not the warehouse, so the view compiles before the mart
    is built (dbt compile, docs, the dialect checks); the documentation test holds every
    mart's YAML to the columns it builds, and tagging a column is the only step that masks it.
#}
{% macro pii_masked_view(model_name) -%}
    {{- config(alias=model_name) -}}
    {%- set relation = ref(model_name) -%}
    {#- Parsing only records the ref and the alias; `graph` is filled from compilation on. -#}
    {%- if not execute -%}
        {{- return('select * from ' ~ relation) -}}
    {%- endif -%}
    {%- set nodes = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
        | selectattr('package_name', 'equalto', project_name)
        | selectattr('name', 'equalto', model_name) | list -%}
    {%- if not nodes or not nodes[0].columns -%}
        {{ exceptions.raise_compiler_error(
            "pii_masked_view: " ~ model_name ~ " has no documented columns to select") }}
    {%- endif -%}
    select
    {%- for column in nodes[0].columns.values() %}
        {%- set kind = column.meta.get('pii') %}
        {% if kind -%}
            {{ mask_pii(column.name, kind) }} as {{ column.name }}
        {%- else -%}
            {{ column.name }}
        {%- endif -%}
        {{- ',' if not loop.last }}
    {%- endfor %}
    from {{ relation }}
{%- endmacro %}
