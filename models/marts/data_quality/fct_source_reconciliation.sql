{#
    Where every line of every loaded file ended up: staged, rejected, collapsed as a
    duplicate of another row, or erased (a forgotten person's, cdp.privacy).
    `is_reconciled` is false if any line is unaccounted for.
#}
{%- set sources = {
    'crm_contacts': ['base_crm__contacts', 'stg_crm__contacts'],
    'web_events': ['base_web__events', 'stg_web__events'],
    'app_events': ['base_app__events', 'stg_app__events'],
    'shop_orders': ['base_shop__orders', 'stg_shop__orders'],
    'shop_order_items': ['base_shop__order_items', 'stg_shop__order_items'],
    'esp_email_events': ['base_esp__email_events', 'stg_esp__email_events'],
    'helpdesk_tickets': ['base_helpdesk__tickets', 'stg_helpdesk__tickets'],
    'billing_subscriptions': ['base_billing__subscriptions', 'stg_billing__subscriptions'],
    'consent_events': ['base_consent__consent_events', 'stg_consent__consent_events'],
} -%}

with

loaded_files as (

    select
        source_table,
        count(*) as files_loaded,
        cast(sum(rows_loaded + bad_lines) as bigint) as lines_in_files
    from {{ ref('stg_loader__loaded_files') }}
    group by source_table

),

unreadable_lines as (

    select
        source_table,
        count(*) as unreadable_lines
    from {{ ref('stg_loader__load_errors') }}
    group by source_table

),

{# Lines that reached no base model: erased, which only forget requests may cause. #}
erasures as (

    select count(*) as requests_resolved
    from {{ ref('stg_privacy__request_events') }}
    where event = 'resolved'

),

row_counts as (

    {%- for source_table, models in sources.items() %}
    select
        '{{ source_table }}' as source_table,
        (select count(*) from {{ ref(models[0]) }}) as rows_loaded,
        (
            select count(*) from {{ ref(models[0]) }}
            where reject_reason is not null
        ) as rejected_rows,
        (select count(*) from {{ ref(models[1]) }}) as staged_rows
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

reconciled as (

    select
        row_counts.source_table,
        coalesce(loaded_files.files_loaded, 0) as files_loaded,
        coalesce(loaded_files.lines_in_files, 0) as lines_in_files,
        row_counts.rows_loaded,
        coalesce(unreadable_lines.unreadable_lines, 0) as unreadable_lines,
        row_counts.rejected_rows,
        row_counts.staged_rows,
        row_counts.rows_loaded - row_counts.rejected_rows - row_counts.staged_rows
            as duplicates_removed,
        coalesce(loaded_files.lines_in_files, 0) - row_counts.rows_loaded
        - coalesce(unreadable_lines.unreadable_lines, 0) as erased_rows,
        erasures.requests_resolved
    from row_counts
    cross join erasures
    left join loaded_files
        on row_counts.source_table = loaded_files.source_table
    left join unreadable_lines
        on row_counts.source_table = unreadable_lines.source_table

)

select
    source_table,
    files_loaded,
    lines_in_files,
    rows_loaded,
    unreadable_lines,
    rejected_rows,
    staged_rows,
    duplicates_removed,
    erased_rows,
    duplicates_removed >= 0
    and (erased_rows = 0 or erased_rows > 0 and requests_resolved > 0) as is_reconciled
from reconciled
