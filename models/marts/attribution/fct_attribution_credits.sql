{#
    Credit of each touch of each conversion under five attribution models, and the revenue
    that credit buys, in the reporting currency (var `cdp_reporting_currency`).
    first_touch / last_touch: all to one end; linear: equal shares; time_decay: weight
    2^(-days before / half-life) normalised per conversion; position_based: the U shape of
    var `cdp_attribution.position_based_shares` (one touch takes all, two split the end
    shares). Credits are rounded to 10 decimals and revenue to cents, and the last touch
    takes the rounding residue, so each conversion's credits sum to exactly 1 and its
    attributed revenue to exactly its revenue under every model. The var's numbers are
    checked (checked_number) before they reach SQL.
#}
{%- set settings = var('cdp_attribution', {}) -%}
{%- set half_life_days = checked_number(settings.get('time_decay_half_life_days', 7),
    'var cdp_attribution.time_decay_half_life_days', minimum=0) -%}
{%- if half_life_days == 0 -%}
    {{ exceptions.raise_compiler_error(
        'var cdp_attribution.time_decay_half_life_days: expected a positive number, got 0') }}
{%- endif -%}
{%- set configured_shares = settings.get(
    'position_based_shares', {'first': 0.4, 'middle': 0.2, 'last': 0.4}
) -%}
{%- set shares = {} -%}
{%- for part in ['first', 'middle', 'last'] -%}
    {%- do shares.update({part: checked_number(configured_shares[part],
        'var cdp_attribution.position_based_shares.' ~ part, minimum=0)}) -%}
{%- endfor -%}
{%- if (shares['first'] + shares['middle'] + shares['last'] - 1) | abs > 0.000001
    or shares['first'] + shares['last'] <= 0 -%}
    {{ exceptions.raise_compiler_error(
        'cdp_attribution.position_based_shares must sum to 1 with a positive first + last,'
        ~ ' got ' ~ shares
    ) }}
{%- endif -%}
{%- set attribution_models = ['first_touch', 'last_touch', 'linear', 'time_decay',
                              'position_based'] -%}

with

conversion_touches as (

    select * from {{ ref('int_attribution__conversion_touches') }}

),

raw_credits as (

    select
        *,
        case when touch_position = 1 then 1.0 else 0.0 end as first_touch_share,
        case when touch_position = touch_count then 1.0 else 0.0 end as last_touch_share,
        1.0 / touch_count as linear_share,
        power(0.5, days_before_conversion / {{ half_life_days }})
        / sum(power(0.5, days_before_conversion / {{ half_life_days }})) over (
            partition by conversion_id
        ) as time_decay_share,
        case
            when touch_count = 1 then 1.0
            when touch_count = 2 and touch_position = 1
                then {{ shares['first'] / (shares['first'] + shares['last']) }}
            when touch_count = 2
                then {{ shares['last'] / (shares['first'] + shares['last']) }}
            when touch_position = 1 then {{ shares['first'] }}
            when touch_position = touch_count then {{ shares['last'] }}
            else {{ shares['middle'] }} / (touch_count - 2)
        end as position_based_share
    from conversion_touches

),

rounded_credits as (

    select
        *,
        {%- for model in attribution_models %}
        cast({{ model }}_share as decimal(18, 10)) as {{ model }}_rounded
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from raw_credits

),

{# The last touch takes what rounding left over, so the credits add up to exactly 1. #}
credits as (

    select
        *,
        {%- for model in attribution_models %}
        cast(
            case
                when touch_position = touch_count
                    then 1 - sum({{ model }}_rounded) over (partition by conversion_id)
                    + {{ model }}_rounded
                else {{ model }}_rounded
            end as decimal(18, 10)
        ) as {{ model }}_credit
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from rounded_credits

),

rounded_revenue as (

    select
        *,
        {%- for model in attribution_models %}
        cast({{ model }}_credit * revenue as decimal(18, 2)) as {{ model }}_revenue_rounded
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from credits

),

{# Same for money: the last touch takes the cents rounding left over. #}
attributed_revenue as (

    select
        *,
        {%- for model in attribution_models %}
        cast(
            case
                when touch_position = touch_count
                    then revenue - sum({{ model }}_revenue_rounded) over (
                        partition by conversion_id
                    ) + {{ model }}_revenue_rounded
                else {{ model }}_revenue_rounded
            end as decimal(18, 2)
        ) as {{ model }}_revenue
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from rounded_revenue

)

select
    ---------- ids
    conversion_touch_id,
    conversion_id,
    touch_id,
    person_id,

    ---------- strings
    channel,
    source,
    medium,
    campaign,
    touch_type,
    order_channel,

    ---------- numerics
    touch_position,
    touch_count,
    days_before_conversion,
    revenue as conversion_revenue,
    {%- for model in attribution_models %}
    {{ model }}_credit,
    {%- endfor %}
    {%- for model in attribution_models %}
    {{ model }}_revenue,
    {%- endfor %}

    ---------- booleans
    is_direct,

    ---------- timestamps
    touched_at,
    converted_at,

    ---------- lineage
    source_table,
    source_record_key

from attributed_revenue
