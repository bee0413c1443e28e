{%- set raw_columns = [
    'contact_id', 'account_id', 'loyalty_id', 'first_name', 'last_name', 'email', 'phone',
    'mobile_phone', 'address_line1', 'address_line2', 'city', 'region', 'postal_code',
    'country', 'date_of_birth', 'created_at', 'updated_at'
] -%}

{% call with_code_fingerprint() %}
with

source as (

    select * from {{ source('crm', 'contacts') }}
    {{ new_raw_rows() }}

),

renamed as {{ computed_once() }} (

    select
        ---------- lineage
        {{ surrogate_key(["'crm_contacts'", '_source_file', '_source_row']) }}
            as source_record_key,
        'crm_contacts' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _loaded_at as loaded_at,
        {{ row_to_json(raw_columns) }} as raw_record,

        ---------- ids
        {{ clean_text('contact_id') }} as contact_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('loyalty_id') }} as loyalty_id,

        ---------- strings
        {{ clean_text('first_name') }} as first_name_text,
        {{ clean_text('last_name') }} as last_name_text,
        {{ normalize_email('email') }} as email_text,
        {{ clean_text('phone') }} as phone_text,
        {{ prepare_phone('phone', normalize_country('country')) }} as phone_prepared,
        {{ clean_text('mobile_phone') }} as mobile_phone_text,
        {{ prepare_phone('mobile_phone', normalize_country('country')) }} as mobile_phone_prepared,
        {{ clean_text('address_line1') }} as address_line1_text,
        {{ clean_text('address_line2') }} as address_line2_text,
        {{ clean_text('city') }} as city_text,
        {{ clean_text('region') }} as region_text,
        {{ clean_text('postal_code') }} as postal_code_text,
        {{ normalize_country('country') }} as country_code,

        ---------- dates and timestamps
        {{ clean_text('date_of_birth') }} as date_of_birth_text,
        {{ clean_text('created_at') }} as created_at_text,
        {{ clean_text('updated_at') }} as updated_at_text

    from source

),

parsed as {{ computed_once() }} (

    select
        *,
        {{ proper_case('first_name_text') }} as first_name,
        {{ proper_case('last_name_text') }} as last_name,
        case when {{ is_valid_email('email_text') }} then email_text end as email,
        {{ phone_e164_from_prepared('phone_prepared') }} as phone_e164,
        {{ phone_e164_from_prepared('mobile_phone_prepared') }} as mobile_phone_e164,
        {{ standardize_street('address_line1_text') }} as address_line1,
        {{ standardize_street('address_line2_text') }} as address_line2,
        {{ proper_case('city_text') }} as city,
        upper(region_text) as region,
        {{ normalize_postcode('postal_code_text', 'country_code') }} as postal_code,
        {{ parse_date('date_of_birth_text', ['%Y-%m-%d']) }} as date_of_birth,
        {{ parse_timestamp('created_at_text', ['%Y-%m-%d %H:%M:%S']) }} as created_at,
        {{ parse_timestamp('updated_at_text', ['%Y-%m-%d %H:%M:%S']) }} as updated_at

    from renamed

),

validated as (

    select
        *,
        {{ reject_columns([
            ['missing_required_field', 'contact_id', 'contact_id is null'],
            ['missing_required_field', 'created_at', 'created_at_text is null'],
            ['invalid_email', 'email', is_present_but_invalid('email_text', 'email')],
            ['invalid_phone', 'phone', is_present_but_invalid('phone_text', 'phone_e164')],
            ['invalid_phone', 'mobile_phone',
                is_present_but_invalid('mobile_phone_text', 'mobile_phone_e164')],
            ['invalid_date', 'date_of_birth',
                is_present_but_invalid('date_of_birth_text', 'date_of_birth')],
            ['invalid_timestamp', 'created_at',
                is_present_but_invalid('created_at_text', 'created_at')],
            ['invalid_timestamp', 'updated_at',
                is_present_but_invalid('updated_at_text', 'updated_at')],
        ]) }}

    from parsed

)

select * from validated
{# Rows of forgotten persons stop here (cdp.privacy): nothing downstream sees them. #}
where {{ erasure_filter('crm_contacts', 'validated') }}
{% endcall %}
