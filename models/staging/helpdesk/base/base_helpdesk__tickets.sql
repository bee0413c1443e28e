{%- set raw_columns = [
    'ticket_id', 'requester_email', 'requester_phone', 'requester_name', 'channel', 'topic',
    'subject', 'status', 'priority', 'created_at', 'solved_at', 'csat_score'
] -%}
{%- set timestamp_formats = ['%Y-%m-%d %H:%M:%S'] -%}

{% call with_code_fingerprint() %}
with

source as (

    select * from {{ source('helpdesk', 'tickets') }}
    {{ new_raw_rows() }}

),

renamed as {{ computed_once() }} (

    select
        ---------- lineage
        {{ surrogate_key(["'helpdesk_tickets'", '_source_file', '_source_row']) }}
            as source_record_key,
        'helpdesk_tickets' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _loaded_at as loaded_at,
        {{ row_to_json(raw_columns) }} as raw_record,

        ---------- ids
        {{ clean_text('ticket_id') }} as ticket_id,

        ---------- strings
        {{ normalize_email('requester_email') }} as email_text,
        {{ clean_text('requester_phone') }} as phone_text,
        {{ prepare_phone('requester_phone') }} as phone_prepared,
        {{ proper_case(clean_text('requester_name')) }} as requester_name,
        lower({{ clean_text('channel') }}) as channel,
        lower({{ clean_text('topic') }}) as topic,
        {{ clean_text('subject') }} as subject,
        lower({{ clean_text('status') }}) as status,
        lower({{ clean_text('priority') }}) as priority,

        ---------- numerics (text until validated)
        {{ clean_text('csat_score') }} as csat_score_text,

        ---------- timestamps
        {{ clean_text('created_at') }} as created_at_text,
        {{ clean_text('solved_at') }} as solved_at_text

    from source

),

parsed as {{ computed_once() }} (

    select
        *,
        case when {{ is_valid_email('email_text') }} then email_text end as email,
        {{ phone_e164_from_prepared('phone_prepared') }} as phone_e164,
        {{ try_cast_integer('csat_score_text') }} as csat_score,
        {{ parse_timestamp('created_at_text', timestamp_formats) }} as created_at,
        {{ parse_timestamp('solved_at_text', timestamp_formats) }} as solved_at
    from renamed

),

validated as (

    select
        *,
        {{ reject_columns([
            ['missing_required_field', 'ticket_id', 'ticket_id is null'],
            ['missing_required_field', 'created_at', 'created_at_text is null'],
            ['missing_required_field', 'requester_email',
                'email_text is null and phone_text is null'],
            ['invalid_value', 'channel', "channel not in ('email', 'phone', 'chat', 'web_form')"],
            ['invalid_value', 'status',
                "status not in ('new', 'open', 'pending', 'solved', 'closed')"],
            ['invalid_value', 'priority', "priority not in ('low', 'normal', 'high', 'urgent')"],
            ['wrong_type', 'csat_score', is_present_but_invalid('csat_score_text', 'csat_score')],
            ['invalid_email', 'requester_email', is_present_but_invalid('email_text', 'email')],
            ['invalid_phone', 'requester_phone',
                is_present_but_invalid('phone_text', 'phone_e164')],
            ['invalid_timestamp', 'created_at',
                is_present_but_invalid('created_at_text', 'created_at')],
            ['invalid_timestamp', 'solved_at',
                is_present_but_invalid('solved_at_text', 'solved_at')],
        ]) }}

    from parsed

)

select * from validated
{# Rows of forgotten persons stop here (cdp.privacy): nothing downstream sees them. #}
where {{ erasure_filter('helpdesk_tickets', 'validated') }}
{% endcall %}
