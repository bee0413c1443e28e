{#
    CRM contacts that are the same person without sharing any identifier (a second contact
    typed with a typo and another email): candidates share date of birth and postcode (the
    blocking key), then both names must be similar and the weighted score high enough (var
    `cdp_identity_fuzzy`). A different date of birth never matches, so family members at one
    address with the same surname stay apart; requiring the postcode keeps namesakes born the
    same day elsewhere apart (at a million persons, a birthday and a common name collide).
    The var's weights and thresholds are checked numbers (checked_number), never pasted raw.
#}
{%- set fuzzy = var('cdp_identity_fuzzy') -%}
{%- set weights = {} -%}
{%- for part in ['first_name', 'last_name', 'date_of_birth', 'address'] -%}
    {%- do weights.update({part: checked_number(
        fuzzy['weights'][part], 'var cdp_identity_fuzzy.weights.' ~ part, minimum=0)}) -%}
{%- endfor -%}
{%- set min_name_similarity = checked_number(
    fuzzy['min_name_similarity'], 'var cdp_identity_fuzzy.min_name_similarity') -%}
{%- set min_score = checked_number(fuzzy['min_score'], 'var cdp_identity_fuzzy.min_score') -%}

with

contacts as (

    select
        contact_id,
        source_record_key,
        lower(trim(first_name)) as first_name,
        lower(trim(last_name)) as last_name,
        date_of_birth,
        postal_code,
        lower(trim(address_line1)) as address_line1
    from {{ ref('stg_crm__contacts') }}
    where
        {{ 'true' if fuzzy['enabled'] else 'false' }}
        and first_name is not null
        and last_name is not null
        and date_of_birth is not null
        and postal_code is not null

),

candidates as (

    select
        a.contact_id as contact_a,
        b.contact_id as contact_b
    from contacts as a
    inner join contacts as b
        on
            a.date_of_birth = b.date_of_birth
            and a.postal_code = b.postal_code
            and a.contact_id < b.contact_id

),

compared as (

    select
        candidates.contact_a,
        candidates.contact_b,
        a.source_record_key as record_a,
        b.source_record_key as record_b,
        {{ string_similarity('a.first_name', 'b.first_name') }} as first_name_similarity,
        {{ string_similarity('a.last_name', 'b.last_name') }} as last_name_similarity,
        coalesce({{ string_similarity('a.address_line1', 'b.address_line1') }}, 0)
            as address_similarity
    from candidates
    inner join contacts as a on candidates.contact_a = a.contact_id
    inner join contacts as b on candidates.contact_b = b.contact_id

),

scored as (

    select
        *,
        {{ weights['first_name'] }} * first_name_similarity
        + {{ weights['last_name'] }} * last_name_similarity
        + {{ weights['date_of_birth'] }}
        + {{ weights['address'] }} * address_similarity as score
    from compared

)

select
    contact_a,
    contact_b,
    record_a,
    record_b,
    cast({{ round_to('score', 4) }} as {{ dbt.type_numeric() }}) as score,
    cast({{ round_to('first_name_similarity', 4) }} as {{ dbt.type_numeric() }})
        as first_name_similarity,
    cast({{ round_to('last_name_similarity', 4) }} as {{ dbt.type_numeric() }})
        as last_name_similarity,
    cast({{ round_to('address_similarity', 4) }} as {{ dbt.type_numeric() }})
        as address_similarity
from scored
where
    first_name_similarity >= {{ min_name_similarity }}
    and last_name_similarity >= {{ min_name_similarity }}
    and score >= {{ min_score }}
