{{ config(unique_key='order_id') }}

{% call with_code_fingerprint() %}
with

orders as (

    select * from {{ ref('base_shop__orders') }} as base_rows
    where base_rows.reject_reason is null {{ keys_to_rebuild('base_rows') }}

),

{# Orders are re-exported when they change (refunds, status): keep the latest version. #}
latest_versions as (

    select
        *,
        row_number() over (
            partition by order_id
            order by updated_at desc nulls last, loaded_at desc, source_file desc,
                source_row desc
        ) as version_rank
    from orders

)

select
    ---------- ids
    order_id,
    original_order_id,
    store_id,
    account_id,
    loyalty_id,

    ---------- strings
    order_type,
    channel,
    email,
    {{ canonical_email('email') }} as email_canonical,
    phone_e164,
    billing_country_code,
    currency,

    ---------- numerics
    subtotal,
    discount,
    tax,
    shipping,
    total,

    ---------- booleans
    order_type = 'return' as is_return,

    ---------- timestamps
    ordered_at,
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
