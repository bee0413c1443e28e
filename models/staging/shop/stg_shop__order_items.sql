{{ config(unique_key='order_item_id') }}

{% call with_code_fingerprint() %}
with

order_items as (

    select * from {{ ref('base_shop__order_items') }} as base_rows
    where base_rows.reject_reason is null {{ keys_to_rebuild('base_rows') }}

),

{# Items are re-exported with their order: keep the last row of each item. #}
latest_versions as (

    select
        *,
        row_number() over (
            partition by order_item_id
            order by loaded_at desc, source_file desc, source_row desc
        ) as version_rank
    from order_items

)

select
    ---------- ids
    order_item_id,
    order_id,
    sku,

    ---------- strings
    product_name,
    category,

    ---------- numerics
    quantity,
    unit_price,
    coalesce(line_total, quantity * unit_price) as line_total,

    ---------- lineage
    source_record_key,
    source_file,
    source_row,
    loaded_at,
    code_fingerprint as base_code_fingerprint

from latest_versions
where version_rank = 1
{% endcall %}
