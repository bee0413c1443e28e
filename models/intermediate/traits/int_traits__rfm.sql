{#
    One row per customer (at least one order): recency, frequency and monetary scores 1–5
    (quintiles among customers, 5 best) and the named segment of the `rfm_segments` seed.
    Scores come from rank(), not ntile(): equal values always get equal scores, so results
    do not depend on an engine's tie order. Monetary is revenue net of returns.
#}
with

commerce as (

    select * from {{ ref('int_traits__commerce') }}
    where orders > 0

),

segments as (

    select * from {{ ref('rfm_segments') }}

),

scored as (

    select
        person_id,
        days_since_last_order as recency_days,
        orders as frequency,
        net_revenue as monetary,
        {% for score, column, direction in [
            ('recency_score', 'days_since_last_order', 'desc'),
            ('frequency_score', 'orders', 'asc'),
            ('monetary_score', 'net_revenue', 'asc'),
        ] %}
        1 + floor(
            5.0 * (rank() over (order by {{ column }} {{ direction }}) - 1) / count(*) over ()
        ) as {{ score }}{{ ',' if not loop.last }}
        {% endfor %}
    from commerce

),

combined as (

    select
        *,
        floor((frequency_score + monetary_score + 1) / 2.0) as frequency_monetary_score
    from scored

),

segmented as (

    select
        combined.*,
        segments.segment,
        row_number() over (
            partition by combined.person_id order by segments.rule_id
        ) as rule_rank
    from combined
    left join segments
        on
            combined.recency_score between segments.r_min and segments.r_max
            and combined.frequency_monetary_score between segments.fm_min and segments.fm_max

)

select
    person_id,
    recency_days,
    frequency,
    monetary,
    cast(recency_score as integer) as recency_score,
    cast(frequency_score as integer) as frequency_score,
    cast(monetary_score as integer) as monetary_score,
    cast(frequency_monetary_score as integer) as frequency_monetary_score,
    cast(cast(recency_score as integer) as {{ dbt.type_string() }})
    || cast(cast(frequency_score as integer) as {{ dbt.type_string() }})
    || cast(cast(monetary_score as integer) as {{ dbt.type_string() }}) as rfm_cell,
    segment as rfm_segment
from segmented
where rule_rank = 1
