{#
    The CRM contacts probabilistic matching compares, in the form it compares them: names in
    lower case without spaces or punctuation (plus the given names a nickname stands for, from
    the `identity_nicknames` seed), the birth date and its parts, postcode without spaces,
    the standardised street line, city, canonical email, phone; and the blocking keys
    (fuzzy_blocking_keys). Contacts with no name at all cannot be matched and stay out.
#}
{%- set fuzzy = fuzzy_settings() -%}

with

contacts as (

    select
        contact_id,
        source_record_key,
        nullif({{ regexp_replace_all('lower(first_name)', "[ '.,-]", '') }}, '') as first_name,
        nullif({{ regexp_replace_all('lower(last_name)', "[ '.,-]", '') }}, '') as last_name,
        date_of_birth,
        nullif({{ regexp_replace_all('upper(postal_code)', '[ -]', '') }}, '') as postal_code,
        nullif(lower(trim({{ standardize_street('address_line1') }})), '') as address,
        nullif(lower(trim(city)), '') as city,
        email_canonical as email,
        coalesce(mobile_phone_e164, phone_e164) as phone
    from {{ ref('stg_crm__contacts') }}
    where {{ 'true' if fuzzy.enabled else 'false' }}

),

{#
    A nickname standing for several given names (al: alan, albert) resolves to the first of
    them for blocking, and keeps all of them (`|alan|albert|`) for the comparison.
#}
nicknames as (

    select
        nickname,
        min(given_name) as given_name,
        '|' || {{ sorted_list_agg('given_name', '|') }} || '|' as given_names
    from {{ ref('identity_nicknames') }}
    group by nickname

)

select
    contacts.contact_id,
    contacts.source_record_key,
    contacts.first_name,
    coalesce(nicknames.given_name, contacts.first_name) as first_name_canonical,
    nicknames.given_names as first_name_given_names,
    contacts.last_name,
    contacts.date_of_birth,
    cast(contacts.date_of_birth as {{ dbt.type_string() }}) as birth_date_text,
    cast(extract(year from contacts.date_of_birth) as integer) as birth_year,
    cast(extract(month from contacts.date_of_birth) as integer) as birth_month,
    cast(extract(day from contacts.date_of_birth) as integer) as birth_day,
    contacts.postal_code,
    contacts.address,
    {{ first_number('contacts.address') }} as street_number,
    contacts.city,
    contacts.email,
    contacts.phone,
    ---------- blocking keys
    {{ fuzzy_name_key('coalesce(nicknames.given_name, contacts.first_name)') }}
        as first_name_key,
    {{ fuzzy_name_key('contacts.last_name') }} as last_name_key,
    case
        when substr(contacts.first_name, 1, 1) < substr(contacts.last_name, 1, 1)
            then substr(contacts.first_name, 1, 1) || substr(contacts.last_name, 1, 1)
        else substr(contacts.last_name, 1, 1) || substr(contacts.first_name, 1, 1)
    end as name_initials,
    split_part(contacts.email, '@', 1) as email_local,
    substr(contacts.phone, length(contacts.phone) - 6) as phone_tail
from contacts
left join nicknames on contacts.first_name = nicknames.nickname
where contacts.first_name is not null or contacts.last_name is not null
