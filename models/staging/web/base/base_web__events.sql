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

{#- Every JSON field the model reads (parsed once per row where the engine can). -#}
{%- set web = json_reader('json_doc', [
    'messageId', 'anonymousId', 'userId', 'type', 'event', 'traits.email', 'context.page.url',
    'context.page.path', 'context.page.title', 'context.page.referrer',
    'context.campaign.source', 'context.campaign.medium', 'context.campaign.name',
    'context.campaign.term', 'context.campaign.content', 'context.userAgent', 'context.ip',
    'properties.content_id', 'properties.category', 'properties.sku', 'properties',
    'timestamp', 'receivedAt'
], [
    'messageId', 'timestamp', 'context', 'properties', 'traits'
]) -%}

{% call with_code_fingerprint() %}
with

source as {{ computed_once() }} (

    select
        *,
        {{ json_document('payload') }} as json_doc
    from {{ source('web', 'events') }}
    {{ new_raw_rows() }}

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
        {{ web.type['messageId'] }} as message_id_type,
        {{ web.type['timestamp'] }} as timestamp_type,
        {{ web.type['context'] }} as context_type,
        {{ web.type['properties'] }} as properties_type,
        {{ web.type['traits'] }} as traits_type,

        ---------- ids
        {{ clean_text(web.text['messageId']) }} as event_id,
        {{ clean_text(web.text['anonymousId']) }} as anonymous_id,
        {{ clean_text(web.text['userId']) }} as account_id,

        ---------- strings
        lower({{ clean_text(web.text['type']) }}) as event_type,
        {{ clean_text(web.text['event']) }} as event_name,
        {{ normalize_email(web.text['traits.email']) }} as email_text,
        {{ clean_text(web.text['context.page.url']) }} as page_url,
        {{ clean_text(web.text['context.page.path']) }} as page_path,
        {{ clean_text(web.text['context.page.title']) }} as page_title,
        {{ clean_text(web.text['context.page.referrer']) }} as referrer_url,
        lower({{ clean_text(web.text['context.campaign.source']) }})
            as utm_source,
        lower({{ clean_text(web.text['context.campaign.medium']) }})
            as utm_medium,
        {{ clean_text(web.text['context.campaign.name']) }} as utm_campaign,
        {{ clean_text(web.text['context.campaign.term']) }} as utm_term,
        {{ clean_text(web.text['context.campaign.content']) }} as utm_content,
        {{ clean_text(web.text['context.userAgent']) }} as user_agent,
        {{ clean_text(web.text['context.ip']) }} as ip_address,
        {{ clean_text(web.text['properties.content_id']) }} as content_id,
        {{ clean_text(web.text['properties.category']) }} as content_category,
        {{ clean_text(web.text['properties.sku']) }} as sku,
        {{ web.text['properties'] }} as properties,

        ---------- timestamps
        {{ clean_text(web.text['timestamp']) }} as event_at_text,
        {{ clean_text(web.text['receivedAt']) }} as received_at_text

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
{% endcall %}
