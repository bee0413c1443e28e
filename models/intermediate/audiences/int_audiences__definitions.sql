{#
    One row per audience defined in the audiences folder (compiled into the
    `audience_definitions` macro by `cdp audiences compile`): its metadata as a table, so BI,
    the membership models and reverse ETL can join it. Every text comes from YAML: it is
    quoted with `string_literal`, never pasted between quotes (names are validated too, but a
    hand-edited macro must not be able to inject SQL either).
#}
{% set audiences = audience_definitions() %}

{% for audience in audiences %}
    {% set priority_label = "audience '" ~ audience.name ~ "' priority" %}
select
    {{ string_literal(audience.name) }} as audience_name,
    {{ string_literal(audience.description) }} as description,
    {{ string_literal(audience.owner) }} as owner,
    nullif({{ string_literal(audience.group) }}, '') as audience_group,
    {{ audience_integer(audience.priority, priority_label) if audience.group
        else 'cast(null as integer)' }} as group_priority,
    nullif({{ string_literal(audience.tags | join(",")) }}, '') as tags,
    nullif({{ string_literal(audience.exclude | join(",")) }}, '') as excluded_audiences,
    {{ string_literal(audience.salt) }} as salt,
    {{ string_literal(audience_rule(audience)) }} as rule_sql
{{ 'union all' if not loop.last }}
{% else %}
{# No audiences defined: an empty table with the same columns. #}
select
    cast(null as {{ dbt.type_string() }}) as audience_name,
    cast(null as {{ dbt.type_string() }}) as description,
    cast(null as {{ dbt.type_string() }}) as owner,
    cast(null as {{ dbt.type_string() }}) as audience_group,
    cast(null as integer) as group_priority,
    cast(null as {{ dbt.type_string() }}) as tags,
    cast(null as {{ dbt.type_string() }}) as excluded_audiences,
    cast(null as {{ dbt.type_string() }}) as salt,
    cast(null as {{ dbt.type_string() }}) as rule_sql
where 1 = 0
{% endfor %}
