{%- set raw_columns = [
    'subscription_id', 'account_id', 'email', 'plan', 'billing_period', 'is_paid', 'price',
    'currency', 'status', 'started_on', 'cancelled_on', 'trial_ends_on', 'updated_at'
] -%}
{%- set dates = ['started_on', 'cancelled_on', 'trial_ends_on'] -%}

{% call with_code_fingerprint() %}
with

source as (

    select * from {{ source('billing', 'subscriptions') }}
    {{ new_raw_rows() }}

),

renamed as {{ computed_once() }} (

    select
        ---------- lineage
        {{ surrogate_key(["'billing_subscriptions'", '_source_file', '_source_row']) }}
            as source_record_key,
        'billing_subscriptions' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _loaded_at as loaded_at,
        {{ row_to_json(raw_columns) }} as raw_record,

        ---------- ids
        {{ clean_text('subscription_id') }} as subscription_id,
        {{ clean_text('account_id') }} as account_id,

        ---------- strings
        {{ normalize_email('email') }} as email_text,
        lower({{ clean_text('plan') }}) as plan,
        lower({{ clean_text('billing_period') }}) as billing_period,
        lower({{ clean_text('status') }}) as status,
        upper({{ clean_text('currency') }}) as currency,

        ---------- text until validated
        {{ clean_text('is_paid') }} as is_paid_text,
        {{ clean_text('price') }} as price_text,
        {%- for column in dates %}
        {{ clean_text(column) }} as {{ column }}_text,
        {%- endfor %}
        {{ clean_text('updated_at') }} as updated_at_text

    from source

),

parsed as {{ computed_once() }} (

    select
        *,
        case when {{ is_valid_email('email_text') }} then email_text end as email,
        {{ parse_boolean('is_paid_text') }} as is_paid,
        {{ try_cast_decimal('price_text') }} as price,
        {%- for column in dates %}
        {{ parse_date(column ~ '_text', ['%Y-%m-%d']) }} as {{ column }},
        {%- endfor %}
        {{ parse_timestamp('updated_at_text', ['%Y-%m-%dT%H:%M:%SZ']) }} as updated_at
    from renamed

),

validated as (

    select
        *,
        {%- set checks = [
            ['missing_required_field', 'subscription_id', 'subscription_id is null'],
            ['missing_required_field', 'plan', 'plan is null'],
            ['missing_required_field', 'status', 'status is null'],
            ['missing_required_field', 'started_on', 'started_on_text is null'],
            ['invalid_value', 'plan', "plan not in ('free', 'basic', 'standard', 'premium')"],
            ['invalid_value', 'billing_period', "billing_period not in ('month', 'year', 'none')"],
            ['invalid_value', 'status',
                "status not in ('trialing', 'active', 'past_due', 'cancelled')"],
            ['wrong_type', 'is_paid', is_present_but_invalid('is_paid_text', 'is_paid')],
            ['non_numeric_amount', 'price', is_present_but_invalid('price_text', 'price')],
            ['invalid_email', 'email', is_present_but_invalid('email_text', 'email')],
        ] -%}
        {%- for column in dates -%}
            {%- do checks.append(['invalid_date', column,
                is_present_but_invalid(column ~ '_text', column)]) -%}
        {%- endfor -%}
        {%- do checks.append(['invalid_timestamp', 'updated_at',
            is_present_but_invalid('updated_at_text', 'updated_at')]) %}
        {{ reject_columns(checks) }}

    from parsed

)

select * from validated
{# Rows of forgotten persons stop here (cdp.privacy): nothing downstream sees them. #}
where {{ erasure_filter('billing_subscriptions', 'validated') }}
{% endcall %}
