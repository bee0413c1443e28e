{#
    One row per person × audience whose rule matches the person's golden record, before
    exclusions, priority groups and holdouts. Each audience's rule is the validated SQL
    `cdp audiences compile` transpiled for this adapter (the one YAML text pasted as SQL, by
    design: it was checked against an allowlist first); the name is quoted with `string_literal`.
#}
with

customers as (

    select * from {{ ref('dim_customers') }}

)

{#- `true and`: Spark (ANSI mode off) reads `customers where (is_paid_subscriber)` as the
    table aliased `where` with a column list; a rule's text must never start the clause. #}
{% for audience in audience_definitions() %}
select
    person_id,
    {{ string_literal(audience.name) }} as audience_name
from customers
where true and ({{ audience_rule(audience) }})
{{ 'union all' if not loop.last }}
{% else %}
select
    cast(null as {{ dbt.type_string() }}) as person_id,
    cast(null as {{ dbt.type_string() }}) as audience_name
where 1 = 0
{% endfor %}
