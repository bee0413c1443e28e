{#
    CTEs that reduce `candidates` (one row per value a person's record carries for `field`)
    to the surviving value per person, ranked by the field's survivorship rules. `columns` are
    the field's value columns, kept together from one record (a name's first and last name, an
    address's parts). Emits `scored` and `ranked`; select from `ranked` where
    `survivor_rank = 1`. Candidates need person_id, source_table, source_record_key,
    observed_at, match_key (the value in matching form) and completeness.
#}
{% macro survivorship_pick(field, candidates='candidates') -%}

scored as (

    select
        *,
        count(*) over (partition by person_id, match_key) as value_frequency,
        dense_rank() over (partition by person_id order by match_key) as value_number
    from {{ candidates }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by person_id order by {{ survivorship_order_by(field) }}
        ) as survivor_rank,
        max(value_number) over (partition by person_id) as distinct_values
    from scored

)

{%- endmacro %}
