{#
    One row per audience arm: the holdout and each experiment variant, as a range
    [lower_bucket, upper_bucket) of the 10,000 person-hash buckets (`hash_bucket`). Audiences
    without variants have one `members` arm covering everyone not held out. Names are quoted
    with `string_literal` and bounds checked to be integers: even a hand-edited definitions
    macro cannot inject SQL.
#}
{% for audience in audience_definitions() %}
    {% for arm in audience.arms %}
        {% set arm_label = "audience '" ~ audience.name ~ "' arm '" ~ arm.name ~ "'" %}
select
    {{ string_literal(audience.name) }} as audience_name,
    {{ string_literal(arm.name) }} as arm_name,
    {{ audience_integer(arm.lower, arm_label ~ ' lower bound') }} as lower_bucket,
    {{ audience_integer(arm.upper, arm_label ~ ' upper bound') }} as upper_bucket,
    {{ 'true' if arm.is_holdout else 'false' }} as is_holdout
{{ 'union all' if not loop.last }}
    {% endfor %}
{{ 'union all' if not loop.last }}
{% else %}
select
    cast(null as {{ dbt.type_string() }}) as audience_name,
    cast(null as {{ dbt.type_string() }}) as arm_name,
    cast(null as integer) as lower_bucket,
    cast(null as integer) as upper_bucket,
    cast(null as boolean) as is_holdout
where 1 = 0
{% endfor %}
