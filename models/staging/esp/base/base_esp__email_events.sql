{%- set raw_columns = [
    'event_id', 'email', 'event_type', 'campaign_id', 'campaign_name', 'url', 'bounce_type',
    'occurred_at'
] -%}
{%- set event_types = ['sent', 'delivered', 'open', 'click', 'unsubscribe', 'bounce',
                       'spam_complaint'] -%}

{% call with_code_fingerprint() %}
with

source as (

    select * from {{ source('esp', 'email_events') }}
    {{ new_raw_rows() }}

),

renamed as {{ computed_once() }} (

    select
        ---------- lineage
        {{ surrogate_key(["'esp_email_events'", '_source_file', '_source_row']) }}
            as source_record_key,
        'esp_email_events' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _loaded_at as loaded_at,
        {{ row_to_json(raw_columns) }} as raw_record,

        ---------- ids
        {{ clean_text('event_id') }} as email_event_id,
        {{ clean_text('campaign_id') }} as campaign_id,

        ---------- strings
        {{ normalize_email('email') }} as email_text,
        lower({{ clean_text('event_type') }}) as event_type,
        {{ clean_text('campaign_name') }} as campaign_name,
        {{ clean_text('url') }} as clicked_url,
        lower({{ clean_text('bounce_type') }}) as bounce_type,

        ---------- timestamps
        cast(occurred_at as {{ dbt.type_string() }}) as occurred_at_text

    from source

),

parsed as {{ computed_once() }} (

    select
        *,
        case when {{ is_valid_email('email_text') }} then email_text end as email,
        {{ epoch_to_timestamp('occurred_at_text', 's') }} as occurred_at
    from renamed

),

validated as (

    select
        *,
        {{ reject_columns([
            ['missing_required_field', 'event_id', 'email_event_id is null'],
            ['missing_required_field', 'email', 'email_text is null'],
            ['missing_required_field', 'event_type', 'event_type is null'],
            ['missing_required_field', 'occurred_at', 'occurred_at_text is null'],
            ['invalid_value', 'event_type',
                "event_type not in ('" ~ event_types | join("', '") ~ "')"],
            ['invalid_email', 'email', is_present_but_invalid('email_text', 'email')],
            ['invalid_timestamp', 'occurred_at',
                is_present_but_invalid('occurred_at_text', 'occurred_at')],
        ]) }}

    from parsed

)

select * from validated
{# Rows of forgotten persons stop here (cdp.privacy): nothing downstream sees them. #}
where {{ erasure_filter('esp_email_events', 'validated') }}
{% endcall %}
