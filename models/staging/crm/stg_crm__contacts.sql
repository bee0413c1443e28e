with

contacts as (

    select * from {{ ref('base_crm__contacts') }}
    where reject_reason is null

),

{# A contact can be exported several times: keep its latest version. #}
latest_versions as (

    select
        *,
        row_number() over (
            partition by contact_id
            order by updated_at desc nulls last, loaded_at desc, source_file desc,
                source_row desc
        ) as version_rank
    from contacts

)

select
    ---------- ids
    contact_id,
    account_id,
    loyalty_id,

    ---------- strings
    first_name,
    last_name,
    email,
    {{ canonical_email('email') }} as email_canonical,
    phone_e164,
    mobile_phone_e164,
    address_line1,
    address_line2,
    city,
    region,
    postal_code,
    country_code,

    ---------- dates and timestamps
    date_of_birth,
    created_at,
    updated_at,

    ---------- lineage
    source_record_key,
    source_file,
    source_row,
    loaded_at

from latest_versions
where version_rank = 1
