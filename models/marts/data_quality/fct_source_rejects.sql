{#
    Every raw row the platform could not use, with the reason and the row as it arrived.
    Rows come from two places: lines the loader could not split into columns, and rows that
    failed a staging check (the first failing check of each base model).
#}
{%- set base_models = [
    'base_crm__contacts', 'base_web__events', 'base_app__events', 'base_shop__orders',
    'base_shop__order_items', 'base_esp__email_events', 'base_helpdesk__tickets',
    'base_billing__subscriptions', 'base_consent__consent_events'
] -%}

with

load_errors as (

    select
        source_record_key,
        source_table,
        source_file,
        source_row,
        'unparseable_row' as reject_reason,
        cast(null as {{ dbt.type_string() }}) as reject_column,
        error_message as reject_detail,
        raw_line as raw_record,
        loaded_at
    from {{ ref('stg_loader__load_errors') }}

),

{% for model in base_models %}
{{ model }}_rejects as (

    select
        source_record_key,
        source_table,
        source_file,
        source_row,
        reject_reason,
        reject_column,
        cast(null as {{ dbt.type_string() }}) as reject_detail,
        raw_record,
        loaded_at
    from {{ ref(model) }}
    where reject_reason is not null

),

{% endfor %}
unioned as (

    select * from load_errors
    {%- for model in base_models %}
    union all
    select * from {{ model }}_rejects
    {%- endfor %}

)

select
    source_record_key as reject_id,
    source_table,
    source_file,
    source_row,
    reject_reason,
    reject_column,
    reject_detail,
    raw_record,
    loaded_at
from unioned
