{#
    The pre-hook statement of a model kept per load that reads another such model: the loads
    as `upstream` holds them now are its distinct `signature` columns, the last being the
    upstream's own code_fingerprint under the name this model keeps it by. The rows of every
    other load are dropped (drop_rows_of_changed_loads), and those meeting `also`.
#}
{% macro drop_rows_of_changed_upstream_loads(upstream, signature, also=none) -%}
    {%- set live_loads -%}
        select distinct
            {%- for column in signature[:-1] %}
            {{ column }},
            {%- endfor %}
            code_fingerprint as {{ signature[-1] }}
        from {{ upstream }}
    {%- endset -%}
    {{ return(drop_rows_of_changed_loads(live_loads, signature, also)) }}
{%- endmacro %}
