{#
    Second step of phone normalisation: the output of prepare_phone to E.164 (`+14155552671`),
    or null. The first rule of phone_rewrite_rules that matches decides (one flat CASE, so the
    compiled SQL stays shallow); a rule without replacement means "invalid".
#}
{% macro phone_e164_from_prepared(prepared) -%}
    case
        {%- for pattern, replacement in phone_rewrite_rules() %}
        when {{ regexp_like(prepared, pattern) }}
            then {{ regexp_replace_all(prepared, pattern, replacement) if replacement
                    else 'cast(null as ' ~ dbt.type_string() ~ ')' }}
        {%- endfor %}
    end
{%- endmacro %}
