{{ config(unique_key='contact_id') }}

{% call with_code_fingerprint() %}
with

contacts as (

    select * from {{ ref('base_crm__contacts') }} as base_rows
    where base_rows.reject_reason is null {{ keys_to_rebuild('base_rows') }}

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
    loaded_at,
    code_fingerprint as base_code_fingerprint

from latest_versions
where version_rank = 1
{% endcall %}
