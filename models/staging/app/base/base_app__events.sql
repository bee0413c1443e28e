{%- set event_names = ['session_start', 'screen_view', 'content_played', 'login', 'logout',
                       'login_failed', 'app_crash', 'push_opened'] -%}
{%- set platforms = ['ios', 'android', 'tvos', 'androidtv'] -%}
{#- Fields read as scalars (raw field, its extracted column) that are not type-checked
    otherwise: an object or array in any of them is a `nested_value` reject. -#}
{%- set scalar_fields = [
    ['device_id', 'device_id'], ['user_id', 'account_id'], ['push_token', 'push_token'],
    ['session_id', 'session_id'], ['event_name', 'event_name'], ['platform', 'platform'],
    ['app_version', 'app_version'], ['properties.content_id', 'content_id'],
    ['properties.content_type', 'content_type'], ['properties.genre', 'genre'],
    ['properties.team', 'team'], ['properties.artist', 'artist'],
    ['properties.error_code', 'error_code'],
] -%}
{%- set nested_checks = nested_value_checks('raw_record', scalar_fields) -%}

{#- Every JSON field the model reads (parsed once per row where the engine can). -#}
{%- set app = json_reader('json_doc', [
    'event_id', 'device_id', 'user_id', 'push_token', 'session_id', 'properties.content_id',
    'event_name', 'platform', 'app_version', 'properties.content_type', 'properties.genre',
    'properties.team', 'properties.artist', 'properties.error_code', 'properties.duration_sec',
    'event_ts'
], [
    'event_id', 'event_ts', 'properties', 'properties.duration_sec'
]) -%}

{% call with_code_fingerprint() %}
with

source as {{ computed_once() }} (

    select
        *,
        {{ json_document('payload') }} as json_doc
    from {{ source('app', 'events') }}
    {{ new_raw_rows() }}

),

extracted as {{ computed_once() }} (

    select
        ---------- lineage
        {{ surrogate_key(["'app_events'", '_source_file', '_source_row']) }}
            as source_record_key,
        'app_events' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _loaded_at as loaded_at,
        payload as raw_record,
        coalesce({{ is_valid_json('json_doc') }}, false) as is_valid_json,

        ---------- json types of the fields whose shape is checked
        {{ app.type['event_id'] }} as event_id_type,
        {{ app.type['event_ts'] }} as event_ts_type,
        {{ app.type['properties'] }} as properties_type,
        {{ app.type['properties.duration_sec'] }} as duration_type,

        ---------- ids
        {{ clean_text(app.text['event_id']) }} as event_id,
        {{ clean_text(app.text['device_id']) }} as device_id,
        {{ clean_text(app.text['user_id']) }} as account_id,
        {{ clean_text(app.text['push_token']) }} as push_token,
        {{ clean_text(app.text['session_id']) }} as session_id,
        {{ clean_text(app.text['properties.content_id']) }} as content_id,

        ---------- strings
        lower({{ clean_text(app.text['event_name']) }}) as event_name,
        lower({{ clean_text(app.text['platform']) }}) as platform,
        {{ clean_text(app.text['app_version']) }} as app_version,
        lower({{ clean_text(app.text['properties.content_type']) }})
            as content_type,
        {{ clean_text(app.text['properties.genre']) }} as genre,
        {{ clean_text(app.text['properties.team']) }} as team,
        {{ clean_text(app.text['properties.artist']) }} as artist,
        {{ clean_text(app.text['properties.error_code']) }} as error_code,

        ---------- numerics
        {{ try_cast_integer(app.text['properties.duration_sec']) }}
            as duration_seconds,

        ---------- timestamps
        {{ clean_text(app.text['event_ts']) }} as event_ts_text

    from source

),

parsed as {{ computed_once() }} (

    select
        *,
        {{ epoch_to_timestamp('event_ts_text', 'ms') }} as event_at
    from extracted

),

validated as (

    select
        *,
        {{ reject_columns([
            ['malformed_json', none, 'not is_valid_json'],
            ['wrong_type', 'event_id', "event_id_type not in ('string', 'null')"],
            ['wrong_type', 'event_ts', "event_ts_type not in ('number', 'null')"],
            ['wrong_type', 'properties', "properties_type not in ('object', 'null')"],
            ['wrong_type', 'properties.duration_sec', "duration_type not in ('number', 'null')"],
        ] + nested_checks + [
            ['missing_required_field', 'event_id', 'event_id is null'],
            ['missing_required_field', 'event_name', 'event_name is null'],
            ['missing_required_field', 'device_id', 'device_id is null'],
            ['missing_required_field', 'platform', 'platform is null'],
            ['missing_required_field', 'event_ts', 'event_ts_text is null'],
            ['invalid_value', 'event_name',
                "event_name not in ('" ~ event_names | join("', '") ~ "')"],
            ['invalid_value', 'platform', "platform not in ('" ~ platforms | join("', '") ~ "')"],
            ['invalid_timestamp', 'event_ts', is_present_but_invalid('event_ts_text', 'event_at')],
        ]) }}

    from parsed

)

select * from validated
{# Rows of forgotten persons stop here (cdp.privacy): nothing downstream sees them. #}
where {{ erasure_filter('app_events', 'validated') }}
{% endcall %}
