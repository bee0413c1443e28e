{%- set raw_columns = [
    'order_item_id', 'order_id', 'sku', 'product_name', 'category', 'quantity', 'unit_price',
    'line_total'
] -%}

{% call with_code_fingerprint() %}
with

source as (

    select * from {{ source('shop', 'order_items') }}
    {{ new_raw_rows() }}

),

renamed as {{ computed_once() }} (

    select
        ---------- lineage
        {{ surrogate_key(["'shop_order_items'", '_source_file', '_source_row']) }}
            as source_record_key,
        'shop_order_items' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _loaded_at as loaded_at,
        {{ row_to_json(raw_columns) }} as raw_record,

        ---------- ids
        {{ clean_text('order_item_id') }} as order_item_id,
        {{ clean_text('order_id') }} as order_id,
        upper({{ clean_text('sku') }}) as sku,

        ---------- strings
        {{ clean_text('product_name') }} as product_name,
        lower({{ clean_text('category') }}) as category,

        ---------- numerics (text until validated)
        {{ clean_text('quantity') }} as quantity_text,
        {{ clean_text('unit_price') }} as unit_price_text,
        {{ clean_text('line_total') }} as line_total_text

    from source

),

parsed as {{ computed_once() }} (

    select
        *,
        {{ try_cast_integer('quantity_text') }} as quantity,
        {{ try_cast_decimal('unit_price_text') }} as unit_price,
        {{ try_cast_decimal('line_total_text') }} as line_total
    from renamed

),

validated as (

    select
        *,
        {{ reject_columns([
            ['missing_required_field', 'order_item_id', 'order_item_id is null'],
            ['missing_required_field', 'order_id', 'order_id is null'],
            ['missing_required_field', 'quantity', 'quantity_text is null'],
            ['missing_required_field', 'unit_price', 'unit_price_text is null'],
            ['wrong_type', 'quantity', is_present_but_invalid('quantity_text', 'quantity')],
            ['non_numeric_amount', 'unit_price',
                is_present_but_invalid('unit_price_text', 'unit_price')],
            ['non_numeric_amount', 'line_total',
                is_present_but_invalid('line_total_text', 'line_total')],
        ]) }}

    from parsed

)

select * from validated
{% endcall %}
