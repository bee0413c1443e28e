{%- set purposes = ['marketing', 'analytics', 'personalization', 'advertising'] -%}
{%- set channels = ['email', 'sms', 'push', 'web', 'ads'] -%}
{%- set sources = ['web_banner', 'preference_center', 'app', 'support', 'import'] -%}
{#- Fields read as scalars (raw field, its extracted column) that are not type-checked
    otherwise: an object or array in any of them is a `nested_value` reject. -#}
{%- set scalar_fields = [
    ['subject.email', 'email_text'], ['subject.user_id', 'account_id'],
    ['subject.anonymous_id', 'anonymous_id'], ['purpose', 'purpose'], ['channel', 'channel'],
    ['status', 'status'], ['source', 'consent_source'], ['policy_version', 'policy_version'],
    ['occurred_at', 'occurred_at_text'],
] -%}
{%- set nested_checks = nested_value_checks('raw_record', scalar_fields) -%}

{#- Every JSON field the model reads (parsed once per row where the engine can). -#}
{%- set consent = json_reader('json_doc', [
    'consent_id', 'subject.user_id', 'subject.anonymous_id', 'subject.email', 'purpose',
    'channel', 'status', 'source', 'policy_version', 'occurred_at'
], [
    'consent_id', 'subject'
]) -%}

{% call with_code_fingerprint() %}
with

source as {{ computed_once() }} (

    select
        *,
        {{ json_document('payload') }} as json_doc
    from {{ source('consent', 'consent_events') }}
    {{ new_raw_rows() }}

),

extracted as {{ computed_once() }} (

    select
        ---------- lineage
        {{ surrogate_key(["'consent_events'", '_source_file', '_source_row']) }}
            as source_record_key,
        'consent_events' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _loaded_at as loaded_at,
        payload as raw_record,
        coalesce({{ is_valid_json('json_doc') }}, false) as is_valid_json,

        ---------- json types of the fields whose shape is checked
        {{ consent.type['consent_id'] }} as consent_id_type,
        {{ consent.type['subject'] }} as subject_type,

        ---------- ids
        {{ clean_text(consent.text['consent_id']) }} as consent_event_id,
        {{ clean_text(consent.text['subject.user_id']) }} as account_id,
        {{ clean_text(consent.text['subject.anonymous_id']) }} as anonymous_id,

        ---------- strings
        {{ normalize_email(consent.text['subject.email']) }} as email_text,
        lower({{ clean_text(consent.text['purpose']) }}) as purpose,
        lower({{ clean_text(consent.text['channel']) }}) as channel,
        lower({{ clean_text(consent.text['status']) }}) as status,
        lower({{ clean_text(consent.text['source']) }}) as consent_source,
        {{ clean_text(consent.text['policy_version']) }} as policy_version,

        ---------- timestamps
        {{ clean_text(consent.text['occurred_at']) }} as occurred_at_text

    from source

),

parsed as {{ computed_once() }} (

    select
        *,
        case when {{ is_valid_email('email_text') }} then email_text end as email,
        {{ parse_timestamp('occurred_at_text', ['%Y-%m-%dT%H:%M:%SZ']) }} as occurred_at
    from extracted

),

validated as (

    select
        *,
        {{ reject_columns([
            ['malformed_json', none, 'not is_valid_json'],
            ['wrong_type', 'consent_id', "consent_id_type not in ('string', 'null')"],
            ['wrong_type', 'subject', "subject_type not in ('object', 'null')"],
        ] + nested_checks + [
            ['missing_required_field', 'consent_id', 'consent_event_id is null'],
            ['missing_required_field', 'purpose', 'purpose is null'],
            ['missing_required_field', 'channel', 'channel is null'],
            ['missing_required_field', 'status', 'status is null'],
            ['missing_required_field', 'occurred_at', 'occurred_at_text is null'],
            ['missing_required_field', 'subject',
                'email_text is null and account_id is null and anonymous_id is null'],
            ['invalid_value', 'purpose', "purpose not in ('" ~ purposes | join("', '") ~ "')"],
            ['invalid_value', 'channel', "channel not in ('" ~ channels | join("', '") ~ "')"],
            ['invalid_value', 'status', "status not in ('granted', 'revoked')"],
            ['invalid_value', 'source',
                "consent_source not in ('" ~ sources | join("', '") ~ "')"],
            ['invalid_timestamp', 'occurred_at',
                is_present_but_invalid('occurred_at_text', 'occurred_at')],
            ['invalid_email', 'subject.email', is_present_but_invalid('email_text', 'email')],
        ]) }}

    from parsed

)

select * from validated
{# Rows of forgotten persons stop here (cdp.privacy): nothing downstream sees them. #}
where {{ erasure_filter('consent_events', 'validated') }}
{% endcall %}
