{#
    Shop orders of resolved persons with amounts in the reporting currency: every revenue
    trait, RFM, CLV and the KPI marts sum these, never raw totals in mixed currencies.
    Returns are their own rows with negative amounts (`is_return`), credited to the person of
    the sale they return: a gift or a store return under another identity must not give its
    returner negative revenue. A return whose sale is not in the data stays with the person
    who returned it and is labelled `is_unmatched_return`. The var's currency must
    be an ISO 4217 code (three capital letters, as in the `fx_rates` seed), else a compiler
    error; it is quoted with `string_literal`, never pasted between quotes.
#}
{%- set currency = var('cdp_reporting_currency') -%}
{%- if currency is not string or not modules.re.fullmatch('[A-Z]{3}', currency) -%}
    {{ exceptions.raise_compiler_error('var cdp_reporting_currency: ' ~ shown_value(currency)
        ~ ' is not an ISO 4217 currency code (three capital letters, e.g. USD)') }}
{%- endif %}
with

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

record_persons as (

    select * from {{ ref('int_identity__record_persons') }}
    where source_table = 'shop_orders' and person_id is not null

),

fx_rates as (

    select * from {{ ref('fx_rates') }}

),

sale_persons as (

    select
        orders.order_id,
        record_persons.person_id
    from orders
    inner join record_persons on orders.source_record_key = record_persons.source_record_key
    where not orders.is_return

)

select
    ---------- ids
    orders.order_id,
    coalesce(sale_persons.person_id, record_persons.person_id) as person_id,
    orders.original_order_id,

    ---------- strings
    orders.channel,
    orders.currency,

    ---------- numerics
    orders.total,
    {# Null (and a failed not_null test) when either currency has no rate: never a guess. #}
    cast(
        orders.total * fx_rates.usd_per_unit / (
            select reporting.usd_per_unit from fx_rates as reporting
            where reporting.currency_code = {{ string_literal(currency) }}
        ) as decimal(18, 2)
    ) as total_reporting,

    ---------- booleans
    orders.is_return,
    orders.is_return and sale_persons.order_id is null as is_unmatched_return,

    ---------- timestamps
    orders.ordered_at

from orders
left join record_persons on orders.source_record_key = record_persons.source_record_key
left join sale_persons
    on orders.is_return and orders.original_order_id = sale_persons.order_id
left join fx_rates on orders.currency = fx_rates.currency_code
where coalesce(sale_persons.person_id, record_persons.person_id) is not null
