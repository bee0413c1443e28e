{#
    Boolean from the spellings exports use: true for true/t/1/yes/y, false for
    false/f/0/no/n (trimmed, any case), null for anything else, which staging rejects as
    `wrong_type`.
#}
{% macro parse_boolean(expr) -%}
    case lower(trim(cast({{ expr }} as {{ dbt.type_string() }})))
        {%- for spelling in ['true', 't', '1', 'yes', 'y'] %}
        when '{{ spelling }}' then true
        {%- endfor %}
        {%- for spelling in ['false', 'f', '0', 'no', 'n'] %}
        when '{{ spelling }}' then false
        {%- endfor %}
    end
{%- endmacro %}
