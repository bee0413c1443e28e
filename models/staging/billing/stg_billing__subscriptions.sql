with

subscriptions as (

    select * from {{ ref('base_billing__subscriptions') }}
    where reject_reason is null

),

{# Billing exports every change of a subscription: keep its latest state. #}
latest_versions as (

    select
        *,
        row_number() over (
            partition by subscription_id
            order by updated_at desc nulls last, loaded_at desc, source_file desc,
                source_row desc
        ) as version_rank
    from subscriptions

)

select
    ---------- ids
    subscription_id,
    account_id,

    ---------- strings
    email,
    {{ canonical_email('email') }} as email_canonical,
    plan,
    billing_period,
    status,
    currency,

    ---------- numerics
    price,

    ---------- booleans
    is_paid,

    ---------- dates and timestamps
    started_on,
    cancelled_on,
    trial_ends_on,
    updated_at,

    ---------- lineage
    source_record_key,
    source_file,
    source_row,
    loaded_at

from latest_versions
where version_rank = 1
