{#
    One row per person with a subscription: the one that describes them now (a live one
    before a lapsed one, then the most recently changed), with how many they ever had.
#}
with

record_persons as (

    select * from {{ ref('int_identity__record_persons') }}
    where source_table = 'billing_subscriptions' and person_id is not null

),

subscriptions as (

    select
        record_persons.person_id,
        subscriptions.*,
        row_number() over (
            partition by record_persons.person_id
            order by
                case subscriptions.status
                    when 'active' then 1 when 'past_due' then 2 when 'trialing' then 3
                    else 4
                end asc,
                subscriptions.updated_at desc nulls last,
                subscriptions.subscription_id asc
        ) as relevance_rank,
        count(*) over (partition by record_persons.person_id) as subscriptions_ever
    from {{ ref('stg_billing__subscriptions') }} as subscriptions
    inner join record_persons
        on subscriptions.source_record_key = record_persons.source_record_key

)

select
    person_id,
    subscription_id,
    plan as subscription_plan,
    billing_period as subscription_billing_period,
    status as subscription_status,
    is_paid and status in ('active', 'past_due') as is_paid_subscriber,
    price as subscription_price,
    currency as subscription_currency,
    started_on as subscription_started_on,
    cancelled_on as subscription_cancelled_on,
    subscriptions_ever
from subscriptions
where relevance_rank = 1
