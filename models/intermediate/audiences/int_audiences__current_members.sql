{#
    One row per person × audience the person belongs to now: rule matches, minus people who
    match an excluded audience's rule, keeping only the highest-priority audience of each
    priority group, then assigned to an arm (holdout or variant) by hashing the audience's salt
    with the person id. Held-out people are members (so the holdout can be measured) and are
    flagged; activation leaves them out. Audience names are quoted with `string_literal`.
#}
{% set exclusions = [] %}
{% for audience in audience_definitions() %}
    {% for excluded in audience.exclude %}
        {% do exclusions.append((audience.name, excluded)) %}
    {% endfor %}
{% endfor %}

with

matches as (

    select * from {{ ref('int_audiences__rule_matches') }}

),

definitions as (

    select * from {{ ref('int_audiences__definitions') }}

),

arms as (

    select * from {{ ref('int_audiences__arms') }}

),

exclusions as (

    {% for audience_name, excluded in exclusions %}
    select
        {{ string_literal(audience_name) }} as audience_name,
        {{ string_literal(excluded) }} as excluded_audience
    {{ 'union all' if not loop.last }}
    {% else %}
    select
        cast(null as {{ dbt.type_string() }}) as audience_name,
        cast(null as {{ dbt.type_string() }}) as excluded_audience
    where 1 = 0
    {% endfor %}

),

eligible as (

    select matches.*
    from matches
    where not exists (
        select 1
        from exclusions
        inner join matches as excluded_matches
            on exclusions.excluded_audience = excluded_matches.audience_name
        where
            exclusions.audience_name = matches.audience_name
            and excluded_matches.person_id = matches.person_id
    )

),

prioritised as (

    select
        eligible.person_id,
        eligible.audience_name,
        {{ hash_bucket("definitions.salt || ':' || eligible.person_id") }} as hash_bucket,
        row_number() over (
            partition by
                eligible.person_id,
                coalesce('group:' || definitions.audience_group, 'audience:' || eligible.audience_name)
            order by definitions.group_priority asc
        ) as group_rank
    from eligible
    inner join definitions on eligible.audience_name = definitions.audience_name

)

select
    prioritised.person_id,
    prioritised.audience_name,
    arms.arm_name as variant,
    arms.is_holdout,
    prioritised.hash_bucket
from prioritised
inner join arms
    on
        prioritised.audience_name = arms.audience_name
        and prioritised.hash_bucket >= arms.lower_bucket
        and prioritised.hash_bucket < arms.upper_bucket
where prioritised.group_rank = 1
