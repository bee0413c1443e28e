{# The postal address each person's golden record shows, all parts from one record. #}
with

record_persons as (

    select * from {{ ref('int_identity__record_persons') }}
    where source_table = 'crm_contacts' and person_id is not null

),

{% set parts = ['address_line1', 'address_line2', 'city', 'region', 'postal_code',
                'country_code'] %}

candidates as (

    select
        record_persons.person_id,
        'crm_contacts' as source_table,
        contacts.source_record_key,
        coalesce(contacts.updated_at, contacts.created_at) as observed_at,
        {% for part in parts %}
        contacts.{{ part }},
        {% endfor %}
        lower(
            {% for part in parts %}
            coalesce(contacts.{{ part }}, ''){{ " || '|' ||" if not loop.last }}
            {% endfor %}
        ) as match_key,
        {% for part in parts %}
        case when contacts.{{ part }} is null then 0 else 1 end{{ ' +' if not loop.last }}
        {% endfor %} as completeness
    from {{ ref('stg_crm__contacts') }} as contacts
    inner join record_persons on contacts.source_record_key = record_persons.source_record_key
    where contacts.address_line1 is not null or contacts.postal_code is not null

),

{{ survivorship_pick('address') }}

select
    person_id,
    {% for part in parts %}
    {{ part }},
    {% endfor %}
    source_table as address_source,
    observed_at as address_observed_at,
    distinct_values as addresses_seen
from ranked
where survivor_rank = 1
