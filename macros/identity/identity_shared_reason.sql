{#
    Why an identifier is shared, in words, from a row of int_identity__shared_identifiers:
    `more than 1 user_id (3)` for a link limit, `its device_id is shared` when inherited.
#}
{% macro identity_shared_reason(relation_alias) -%}
    case
        when {{ relation_alias }}.share_rule = 'inherited'
            then 'its ' || {{ relation_alias }}.linked_type || ' is shared'
        else 'more than ' || cast({{ relation_alias }}.link_limit as {{ dbt.type_string() }})
            || ' ' || {{ relation_alias }}.linked_type || ' ('
            || cast({{ relation_alias }}.linked_identifiers as {{ dbt.type_string() }}) || ')'
    end
{%- endmacro %}
