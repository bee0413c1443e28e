{#
    One row per acquisition channel and acquisition cohort month. It shows how many people a
    channel brought in, how many of them became customers, what they are worth so far (net
    revenue) and what they are predicted to be worth (BG/NBD + Gamma-Gamma CLV).
    Per-customer figures divide by customers rather than persons. A channel that brings many
    browsers who never buy already shows that in `customer_conversion_rate`, so dividing by
    persons would count it against the channel twice.
    Net revenue is summed over every person, so the table reconciles to `dim_customers`;
    that includes the few people with only returns, whose sale sits on an unresolved record.
    Sums and averages of doubles are rounded to 6 decimals: their last bits depend on the
    order the engine adds rows in, and the same data must give the same table on every run.
#}
with

dim_customers as (

    select * from {{ ref('dim_customers') }}

),

aggregated as (

    select
        acquisition_channel,
        acquisition_cohort_month,
        count(*) as persons,
        count(case when orders > 0 then 1 end) as customers,
        sum(net_revenue) as net_revenue,
        coalesce(sum(case when orders > 0 then predicted_clv end), 0) as predicted_clv,
        avg(case when orders > 0 then predicted_clv end) as predicted_clv_per_customer,
        avg(case when orders > 0 then p_alive end) as average_p_alive
    from dim_customers
    group by acquisition_channel, acquisition_cohort_month

)

select
    acquisition_channel,
    acquisition_cohort_month,
    cast(persons as bigint) as persons,
    cast(customers as bigint) as customers,
    {{ decimal_ratio('customers * 1.0', 'persons', 7, 4) }} as customer_conversion_rate,
    cast(net_revenue as decimal(18, 2)) as net_revenue,
    {{ decimal_ratio('net_revenue', 'nullif(customers, 0)') }} as net_revenue_per_customer,
    cast({{ round_to('predicted_clv', 6) }} as {{ type_double() }}) as predicted_clv,
    cast({{ round_to('predicted_clv_per_customer', 6) }} as {{ type_double() }})
        as predicted_clv_per_customer,
    cast({{ round_to('average_p_alive', 6) }} as {{ type_double() }}) as average_p_alive
from aggregated
