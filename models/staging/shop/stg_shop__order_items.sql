with

order_items as (

    select * from {{ ref('base_shop__order_items') }}
    where reject_reason is null

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
    loaded_at

from latest_versions
where version_rank = 1
