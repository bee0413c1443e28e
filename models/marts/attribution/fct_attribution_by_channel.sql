{#
    Attributed conversions and revenue per attribution model, conversion month, channel and
    campaign, in long format so BI compares models with one filter. Revenue is in the
    reporting currency (var `cdp_reporting_currency`), so orders in any currency add up.
    Campaign is `(none)` for touches without one (referrals, push, direct).
#}
{%- set attribution_models = ['first_touch', 'last_touch', 'linear', 'time_decay',
                              'position_based'] -%}

with

credits as (

    select * from {{ ref('fct_attribution_credits') }}

),

credits_by_model as (
    {%- for model in attribution_models %}

    select
        '{{ model }}' as attribution_model,
        conversion_id,
        channel,
        coalesce(campaign, '(none)') as campaign,
        {{ model }}_credit as credit,
        {{ model }}_revenue as attributed_revenue,
        cast({{ dbt.date_trunc('month', 'converted_at') }} as date) as conversion_month
    from credits
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

)

select
    ---------- ids
    {{ surrogate_key(['attribution_model', 'conversion_month', 'channel', 'campaign']) }}
        as attribution_by_channel_id,

    ---------- strings
    attribution_model,
    channel,
    campaign,

    ---------- numerics
    cast(sum(credit) as decimal(38, 10)) as attributed_conversions,
    cast(sum(attributed_revenue) as decimal(38, 2)) as attributed_revenue,
    count(distinct case when credit > 0 then conversion_id end) as credited_conversions,

    ---------- dates
    conversion_month

from credits_by_model
group by attribution_model, conversion_month, channel, campaign
