{#
    The touches each conversion is attributed to: the person's touches in the lookback window
    before the conversion (var `cdp_attribution.lookback_days`), numbered in time order. A
    conversion with no touch in the window gets one synthetic `direct` touch at the conversion
    itself, so every conversion has at least one touch and its credits sum to exactly 1 under
    every model: attributed revenue always adds up to revenue.
#}
{%- set settings = var('cdp_attribution', {}) -%}
{%- set lookback_days = checked_number(settings.get('lookback_days', 30),
    'var cdp_attribution.lookback_days', integer=true, minimum=0) -%}

with

conversions as (

    select * from {{ ref('int_attribution__conversions') }}

),

touches as (

    select * from {{ ref('int_attribution__touches') }}

),

touches_in_window as (

    select
        conversions.conversion_id,
        touches.touch_id,
        touches.channel,
        touches.source,
        touches.medium,
        touches.campaign,
        touches.touch_type,
        false as is_direct,
        touches.touched_at,
        touches.source_table,
        touches.source_record_key
    from conversions
    inner join touches
        on
            conversions.person_id = touches.person_id
            and conversions.converted_at > touches.touched_at
            and {{ dbt.dateadd('day', -lookback_days, 'conversions.converted_at') }}
            <= touches.touched_at

),

direct_touches as (

    select
        conversions.conversion_id,
        {{ surrogate_key(["'direct'", 'conversions.conversion_id']) }} as touch_id,
        'direct' as channel,
        '(direct)' as source,  -- noqa: RF04
        '(none)' as medium,
        cast(null as {{ dbt.type_string() }}) as campaign,
        'direct' as touch_type,
        true as is_direct,
        conversions.converted_at as touched_at,
        cast(null as {{ dbt.type_string() }}) as source_table,
        cast(null as {{ dbt.type_string() }}) as source_record_key
    from conversions
    where not exists (
        select 1 from touches_in_window
        where touches_in_window.conversion_id = conversions.conversion_id
    )

),

conversion_touches as (

    select * from touches_in_window
    union all
    select * from direct_touches

)

select
    ---------- ids
    {{ surrogate_key(['conversion_touches.conversion_id', 'conversion_touches.touch_id']) }}
        as conversion_touch_id,
    conversion_touches.conversion_id,
    conversion_touches.touch_id,
    conversions.person_id,

    ---------- strings
    conversion_touches.channel,
    conversion_touches.source,
    conversion_touches.medium,
    conversion_touches.campaign,
    conversion_touches.touch_type,
    conversions.order_channel,

    ---------- numerics
    cast(row_number() over (
        partition by conversion_touches.conversion_id
        order by conversion_touches.touched_at, conversion_touches.touch_id
    ) as {{ dbt.type_bigint() }}) as touch_position,
    count(*) over (partition by conversion_touches.conversion_id) as touch_count,
    cast(
        {{ dbt.datediff('conversion_touches.touched_at', 'conversions.converted_at', 'second') }}
        as {{ type_double() }}
    ) / 86400 as days_before_conversion,
    conversions.revenue,

    ---------- booleans
    conversion_touches.is_direct,

    ---------- timestamps
    conversion_touches.touched_at,
    conversions.converted_at,

    ---------- lineage
    conversion_touches.source_table,
    conversion_touches.source_record_key

from conversion_touches
inner join conversions on conversion_touches.conversion_id = conversions.conversion_id
