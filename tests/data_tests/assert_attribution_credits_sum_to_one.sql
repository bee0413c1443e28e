{#
    Under every attribution model, each conversion's credits sum to exactly 1 and its
    attributed revenue to exactly its revenue: no conversion is lost or counted twice.
#}
{%- set attribution_models = ['first_touch', 'last_touch', 'linear', 'time_decay',
                              'position_based'] -%}

with

credits as (

    select * from {{ ref('fct_attribution_credits') }}

),

conversion_totals as (

    select
        conversion_id,
        max(conversion_revenue) as conversion_revenue,
        {%- for model in attribution_models %}
        sum({{ model }}_credit) as {{ model }}_credit,
        sum({{ model }}_revenue) as {{ model }}_revenue
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from credits
    group by conversion_id

)

select * from conversion_totals
where
    {%- for model in attribution_models %}
    {{ model }}_credit <> 1
    or {{ model }}_revenue <> conversion_revenue
    {%- if not loop.last %}
    or{% endif %}
    {%- endfor %}
