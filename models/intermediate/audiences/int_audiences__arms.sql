{#
    One row per audience arm: the holdout and each experiment variant, as a range
    [lower_bucket, upper_bucket) of the 10,000 person-hash buckets (`hash_bucket`). Audiences
    without variants have one `members` arm covering everyone not held out.
#}
{% for audience in audience_definitions() %}
    {% for arm in audience.arms %}
select
    '{{ audience.name }}' as audience_name,
    '{{ arm.name }}' as arm_name,
    {{ arm.lower }} as lower_bucket,
    {{ arm.upper }} as upper_bucket,
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
