{#
    The instant traits are computed at, and which rule gave it (`as_of_basis`), first that
    applies:
      1. `var`: var `cdp_as_of` when set (a date or timestamp, checked_date, quoted with
         `string_literal`);
      2. `person_initiated_activity`: the latest thing a person did (a visit, an email open, an
         order, a ticket);
      3. `any_activity`: the latest record of any kind when nobody did anything (CRM, billing
         or consent data alone: a contact created, a subscription changed, a consent recorded);
      4. `run_started_at`: the start of the dbt run (UTC) when no record resolves to a person
         at all (an empty warehouse), so the models downstream still build.
    Rules 1-3 depend on the data only, so rebuilding the same data gives the same traits on
    any day and any engine.
#}
{% set as_of = var('cdp_as_of') %}

{% if as_of %}

    select
        cast({{ string_literal(checked_date(as_of, 'var cdp_as_of')) }} as timestamp)
            as as_of_at,
        'var' as as_of_basis

{% else %}

    with

    latest as (

        select
            max(case when is_person_initiated then activity_at end)
                as latest_person_initiated_at,
            max(activity_at) as latest_activity_at
        from {{ ref('int_customers__activities') }}

    )

    select
        coalesce(
            latest_person_initiated_at,
            latest_activity_at,
            cast({{ string_literal(run_started_at.strftime('%Y-%m-%d %H:%M:%S')) }}
                as timestamp)
        ) as as_of_at,
        case
            when latest_person_initiated_at is not null then 'person_initiated_activity'
            when latest_activity_at is not null then 'any_activity'
            else 'run_started_at'
        end as as_of_basis
    from latest

{% endif %}
