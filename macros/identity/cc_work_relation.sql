{# The work table `<identifier>__cc_<suffix>` of a connected_components model. #}
{% macro cc_work_relation(base_relation, suffix) -%}
    {{ return(side_relation(base_relation, 'cc_' ~ suffix)) }}
{%- endmacro %}
