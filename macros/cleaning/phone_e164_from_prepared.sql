{#
    Second step of phone normalisation: the output of prepare_phone to E.164 (`+14155552671`),
    or null. The first rule of phone_rewrite_rules that matches decides (one flat CASE, so the
    compiled SQL stays shallow); a rule without replacement means "invalid". Each rule first
    compares the text's start with its pattern's literal prefix (`US|`, `+44`): a necessary
    condition of the match, so a value runs the regexes of one or two rules, not of all ~45
    (PostgreSQL caches 32 compiled regexes per connection and would compile them per row).
#}
{% macro phone_e164_from_prepared(prepared) -%}
    case
        {%- for pattern, replacement in phone_rewrite_rules() %}
        {%- set prefix = regexp_literal_prefix(pattern) %}
        when {% if prefix -%}
            substring({{ prepared }}, 1, {{ prefix | length }}) = {{ string_literal(prefix) }}
            and {% endif -%}
            {{ regexp_like(prepared, pattern) }}
            then {{ regexp_replace_all(prepared, pattern, replacement) if replacement
                    else 'cast(null as ' ~ dbt.type_string() ~ ')' }}
        {%- endfor %}
    end
{%- endmacro %}
