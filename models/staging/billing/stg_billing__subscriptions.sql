{{ config(unique_key='subscription_id') }}

{% call with_code_fingerprint() %}
with

subscriptions as (

    select * from {{ ref('base_billing__subscriptions') }} as base_rows
    where base_rows.reject_reason is null {{ keys_to_rebuild('base_rows') }}

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
    loaded_at,
    code_fingerprint as base_code_fingerprint

from latest_versions
where version_rank = 1
{% endcall %}
