{%- set raw_columns = [
    'order_id', 'order_type', 'original_order_id', 'channel', 'store_id', 'account_id',
    'customer_email', 'customer_phone', 'loyalty_id', 'billing_country', 'currency',
    'subtotal', 'discount', 'tax', 'shipping', 'total', 'ordered_at', 'updated_at'
] -%}
{%- set amounts = ['subtotal', 'discount', 'tax', 'shipping', 'total'] -%}
{%- set timestamp_formats = ['%Y-%m-%dT%H:%M:%S%z'] -%}

{% call with_code_fingerprint() %}
with

source as (

    select * from {{ source('shop', 'orders') }}
    {{ new_raw_rows() }}

),

renamed as {{ computed_once() }} (

    select
        ---------- lineage
        {{ surrogate_key(["'shop_orders'", '_source_file', '_source_row']) }}
            as source_record_key,
        'shop_orders' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _loaded_at as loaded_at,
        {{ row_to_json(raw_columns) }} as raw_record,

        ---------- ids
        {{ clean_text('order_id') }} as order_id,
        {{ clean_text('original_order_id') }} as original_order_id,
        {{ clean_text('store_id') }} as store_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('loyalty_id') }} as loyalty_id,

        ---------- strings
        lower({{ clean_text('order_type') }}) as order_type,
        lower({{ clean_text('channel') }}) as channel,
        {{ normalize_email('customer_email') }} as email_text,
        {{ clean_text('customer_phone') }} as phone_text,
        {{ prepare_phone('customer_phone', normalize_country('billing_country')) }}
            as phone_prepared,
        {{ normalize_country('billing_country') }} as billing_country_code,
        upper({{ clean_text('currency') }}) as currency,

        ---------- numerics (text until validated)
        {%- for amount in amounts %}
        {{ clean_text(amount) }} as {{ amount }}_text,
        {%- endfor %}

        ---------- timestamps
        {{ clean_text('ordered_at') }} as ordered_at_text,
        {{ clean_text('updated_at') }} as updated_at_text

    from source

),

parsed as {{ computed_once() }} (

    select
        *,
        case when {{ is_valid_email('email_text') }} then email_text end as email,
        {{ phone_e164_from_prepared('phone_prepared') }} as phone_e164,
        {%- for amount in amounts %}
        {{ try_cast_decimal(amount ~ '_text') }} as {{ amount }},
        {%- endfor %}
        {{ parse_timestamp('ordered_at_text', timestamp_formats) }} as ordered_at,
        {{ parse_timestamp('updated_at_text', timestamp_formats) }} as updated_at
    from renamed

),

validated as (

    select
        *,
        {%- set checks = [
            ['missing_required_field', 'order_id', 'order_id is null'],
            ['missing_required_field', 'order_type', 'order_type is null'],
            ['missing_required_field', 'channel', 'channel is null'],
            ['missing_required_field', 'total', 'total_text is null'],
            ['missing_required_field', 'ordered_at', 'ordered_at_text is null'],
            ['invalid_value', 'order_type', "order_type not in ('sale', 'return')"],
            ['invalid_value', 'channel', "channel not in ('web', 'app', 'store')"],
        ] -%}
        {%- for amount in amounts -%}
            {%- do checks.append(['non_numeric_amount', amount,
                is_present_but_invalid(amount ~ '_text', amount)]) -%}
        {%- endfor -%}
        {%- do checks.extend([
            ['invalid_timestamp', 'ordered_at',
                is_present_but_invalid('ordered_at_text', 'ordered_at')],
            ['invalid_timestamp', 'updated_at',
                is_present_but_invalid('updated_at_text', 'updated_at')],
            ['invalid_email', 'customer_email', is_present_but_invalid('email_text', 'email')],
            ['invalid_phone', 'customer_phone', is_present_but_invalid('phone_text', 'phone_e164')],
        ]) %}
        {{ reject_columns(checks) }}

    from parsed

)

select * from validated
{# Rows of forgotten persons stop here (cdp.privacy): nothing downstream sees them. #}
where {{ erasure_filter('shop_orders', 'validated') }}
{% endcall %}
