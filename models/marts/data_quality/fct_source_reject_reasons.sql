{#
    One row per source and reject reason it gave: how many of the source's lines (rows in its
    files) that reason took, and whether the share is above var `cdp_mass_reject_threshold`.
    One reason taking a large share of a source is rarely bad data: it is a configuration
    that does not fit the data (orders from before 2000 against `cdp_valid_timestamp_range`)
    or a changed export format. The build warns (a warn-severity test on `is_mass_rejection`),
    `cdp run` prints a warning line per row above the threshold, and `config_vars` names the
    vars that widen the check where there are any.
#}
{%- set threshold = checked_number(
    var('cdp_mass_reject_threshold'), 'var cdp_mass_reject_threshold', minimum=0) -%}
{%- set config_vars = {
    'invalid_timestamp': 'cdp_valid_timestamp_range',
    'invalid_date': 'cdp_valid_date_range',
    'invalid_phone': 'cdp_phone_countries, cdp_default_phone_country',
    'missing_required_field': 'cdp_null_tokens',
} -%}

with

rejects as (

    select
        source_table,
        reject_reason,
        count(*) as rejected_rows
    from {{ ref('fct_source_rejects') }}
    group by source_table, reject_reason

),

reconciliation as (

    select * from {{ ref('fct_source_reconciliation') }}

),

reasons as (

    select * from {{ ref('reject_reasons') }}

),

shares as (

    select
        rejects.source_table,
        rejects.reject_reason,
        cast(rejects.rejected_rows as bigint) as rejected_rows,
        cast(reconciliation.lines_in_files as bigint) as lines_in_files,
        cast(
            rejects.rejected_rows * 1.0 / nullif(reconciliation.lines_in_files, 0)
            as decimal(9, 6)
        ) as reject_share
    from rejects
    left join reconciliation on rejects.source_table = reconciliation.source_table

)

select
    shares.source_table,
    shares.reject_reason,
    shares.rejected_rows,
    shares.lines_in_files,
    shares.reject_share,
    cast({{ threshold }} as decimal(9, 6)) as mass_reject_threshold,
    coalesce(shares.reject_share > {{ threshold }}, false) as is_mass_rejection,
    case shares.reject_reason
        {%- for reason, names in config_vars.items() %}
        when {{ string_literal(reason) }} then {{ string_literal(names) }}
        {%- endfor %}
    end as config_vars,
    reasons.fix_upstream
from shares
left join reasons on shares.reject_reason = reasons.reject_reason
