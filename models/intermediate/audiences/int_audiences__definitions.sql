{#
    One row per audience defined in the audiences folder (compiled into the
    `audience_definitions` macro by `cdp audiences compile`): its metadata as a table, so BI,
    the membership models and reverse ETL can join it.
#}
{% set audiences = audience_definitions() %}

{% for audience in audiences %}
select
    '{{ audience.name }}' as audience_name,
    '{{ dbt.escape_single_quotes(audience.description) }}' as description,
    '{{ dbt.escape_single_quotes(audience.owner) }}' as owner,
    nullif('{{ audience.group }}', '') as audience_group,
    {{ audience.priority if audience.group else 'cast(null as integer)' }} as group_priority,
    nullif('{{ audience.tags | join(",") }}', '') as tags,
    nullif('{{ audience.exclude | join(",") }}', '') as excluded_audiences,
    '{{ dbt.escape_single_quotes(audience.salt) }}' as salt,
    '{{ dbt.escape_single_quotes(audience_rule(audience)) }}' as rule_sql
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
