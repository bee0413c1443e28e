{#
    The instant traits are computed at: `cdp_as_of` when set, else the latest person-initiated
    activity in the data, so rebuilding the same data gives the same traits on any day. The
    var must be a date or timestamp (checked_date), quoted with `string_literal`.
#}
{% set as_of = var('cdp_as_of') %}

{% if as_of %}

    select cast({{ string_literal(checked_date(as_of, 'var cdp_as_of')) }} as timestamp)
        as as_of_at

{% else %}

    select max(activity_at) as as_of_at
    from {{ ref('int_customers__activities') }}
    where is_person_initiated

{% endif %}
