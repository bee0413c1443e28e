{#
    An audience's rule (an entry of `audience_definitions()`) in the dialect of the active
    target: rules are validated and transpiled by `cdp audiences compile`, for the dialects
    listed in each entry; any other adapter fails compilation here with the reason.
#}
{% macro audience_rule(audience) -%}
    {%- if target.type not in audience.rules -%}
        {{ exceptions.raise_compiler_error(
            "audience '" ~ audience.name ~ "': no rule compiled for adapter '" ~ target.type
            ~ "' (compiled for " ~ (audience.rules.keys() | list | join(', ')) ~ ")") }}
    {%- endif -%}
    {{ return(audience.rules[target.type]) }}
{%- endmacro %}
