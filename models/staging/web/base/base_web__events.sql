{%- set event_types = ['page', 'track', 'identify'] -%}
{#- Fields read as scalars (raw field, its extracted column) that are not type-checked
    otherwise: an object or array in any of them is a `nested_value` reject. -#}
{%- set scalar_fields = [
    ['anonymousId', 'anonymous_id'], ['userId', 'account_id'], ['type', 'event_type'],
    ['event', 'event_name'], ['traits.email', 'email_text'],
    ['context.page.url', 'page_url'], ['context.page.path', 'page_path'],
    ['context.page.title', 'page_title'], ['context.page.referrer', 'referrer_url'],
    ['context.campaign.source', 'utm_source'], ['context.campaign.medium', 'utm_medium'],
    ['context.campaign.name', 'utm_campaign'], ['context.campaign.term', 'utm_term'],
    ['context.campaign.content', 'utm_content'], ['context.userAgent', 'user_agent'],
    ['context.ip', 'ip_address'], ['properties.content_id', 'content_id'],
    ['properties.category', 'content_category'], ['properties.sku', 'sku'],
    ['receivedAt', 'received_at_text'],
] -%}
{%- set nested_checks = nested_value_checks('raw_record', scalar_fields) -%}

with

source as {{ computed_once() }} (

    select
        *,
        {{ json_document('payload') }} as json_doc
    from {{ source('web', 'events') }}

),

extracted as {{ computed_once() }} (

    select
        ---------- lineage
        {{ surrogate_key(["'web_events'", '_source_file', '_source_row']) }}
            as source_record_key,
        'web_events' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _loaded_at as loaded_at,
        payload as raw_record,
        coalesce({{ is_valid_json('json_doc') }}, false) as is_valid_json,

        ---------- json types of the fields whose shape is checked
        {{ json_type('json_doc', ['messageId']) }} as message_id_type,
        {{ json_type('json_doc', ['timestamp']) }} as timestamp_type,
        {{ json_type('json_doc', ['context']) }} as context_type,
        {{ json_type('json_doc', ['properties']) }} as properties_type,
        {{ json_type('json_doc', ['traits']) }} as traits_type,

        ---------- ids
        {{ clean_text(json_text('json_doc', ['messageId'])) }} as event_id,
        {{ clean_text(json_text('json_doc', ['anonymousId'])) }} as anonymous_id,
        {{ clean_text(json_text('json_doc', ['userId'])) }} as account_id,

        ---------- strings
        lower({{ clean_text(json_text('json_doc', ['type'])) }}) as event_type,
        {{ clean_text(json_text('json_doc', ['event'])) }} as event_name,
        {{ normalize_email(json_text('json_doc', ['traits', 'email'])) }} as email_text,
        {{ clean_text(json_text('json_doc', ['context', 'page', 'url'])) }} as page_url,
        {{ clean_text(json_text('json_doc', ['context', 'page', 'path'])) }} as page_path,
        {{ clean_text(json_text('json_doc', ['context', 'page', 'title'])) }} as page_title,
        {{ clean_text(json_text('json_doc', ['context', 'page', 'referrer'])) }} as referrer_url,
        lower({{ clean_text(json_text('json_doc', ['context', 'campaign', 'source'])) }})
            as utm_source,
        lower({{ clean_text(json_text('json_doc', ['context', 'campaign', 'medium'])) }})
            as utm_medium,
        {{ clean_text(json_text('json_doc', ['context', 'campaign', 'name'])) }} as utm_campaign,
        {{ clean_text(json_text('json_doc', ['context', 'campaign', 'term'])) }} as utm_term,
        {{ clean_text(json_text('json_doc', ['context', 'campaign', 'content'])) }} as utm_content,
        {{ clean_text(json_text('json_doc', ['context', 'userAgent'])) }} as user_agent,
        {{ clean_text(json_text('json_doc', ['context', 'ip'])) }} as ip_address,
        {{ clean_text(json_text('json_doc', ['properties', 'content_id'])) }} as content_id,
        {{ clean_text(json_text('json_doc', ['properties', 'category'])) }} as content_category,
        {{ clean_text(json_text('json_doc', ['properties', 'sku'])) }} as sku,
        {{ json_text('json_doc', ['properties']) }} as properties,

        ---------- timestamps
        {{ clean_text(json_text('json_doc', ['timestamp'])) }} as event_at_text,
        {{ clean_text(json_text('json_doc', ['receivedAt'])) }} as received_at_text

    from source

),

parsed as {{ computed_once() }} (

    select
        *,
        case when {{ is_valid_email('email_text') }} then email_text end as email,
        {{ parse_timestamp('event_at_text', ['%Y-%m-%dT%H:%M:%S.%fZ', '%Y-%m-%dT%H:%M:%SZ']) }}
            as event_at,
        {{ parse_timestamp('received_at_text', ['%Y-%m-%dT%H:%M:%S.%fZ', '%Y-%m-%dT%H:%M:%SZ']) }}
            as received_at
    from extracted

),

validated as (

    select
        *,
        {{ reject_columns([
            ['malformed_json', none, 'not is_valid_json'],
            ['wrong_type', 'messageId', "message_id_type not in ('string', 'null')"],
            ['wrong_type', 'timestamp', "timestamp_type not in ('string', 'null')"],
            ['wrong_type', 'context', "context_type not in ('object', 'null')"],
            ['wrong_type', 'properties', "properties_type not in ('object', 'null')"],
            ['wrong_type', 'traits', "traits_type not in ('object', 'null')"],
        ] + nested_checks + [
            ['missing_required_field', 'messageId', 'event_id is null'],
            ['missing_required_field', 'type', 'event_type is null'],
            ['missing_required_field', 'timestamp', 'event_at_text is null'],
            ['missing_required_field', 'anonymousId',
                'anonymous_id is null and account_id is null'],
            ['invalid_value', 'type', "event_type not in ('" ~ event_types | join("', '") ~ "')"],
            ['invalid_timestamp', 'timestamp', is_present_but_invalid('event_at_text', 'event_at')],
            ['invalid_timestamp', 'receivedAt',
                is_present_but_invalid('received_at_text', 'received_at')],
            ['invalid_email', 'traits.email', is_present_but_invalid('email_text', 'email')],
        ]) }}

    from parsed

)

select * from validated
{# Rows of forgotten persons stop here (cdp.privacy): nothing downstream sees them. #}
where {{ erasure_filter('web_events', 'validated') }}
