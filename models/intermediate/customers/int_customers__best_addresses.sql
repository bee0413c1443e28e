{#
    The postal address each person's golden record shows, all parts from one record, from
    every source that declares an `address` attribute in var `cdp_identity_sources`.
#}
with

record_persons as (

    select * from {{ ref('int_identity__record_persons') }}
    where person_id is not null and {{ in_person_scope('person_id') }}

),

addresses as (

    {{ identity_source_attributes('address') }}

),

{% set parts = ['address_line1', 'address_line2', 'city', 'region', 'postal_code',
                'country_code'] %}

candidates as (

    select
        record_persons.person_id,
        addresses.source_table,
        addresses.source_record_key,
        addresses.observed_at,
        {% for part in parts %}
        addresses.{{ part }},
        {% endfor %}
        lower(
            {% for part in parts %}
            coalesce(addresses.{{ part }}, ''){{ " || '|' ||" if not loop.last }}
            {% endfor %}
        ) as match_key,
        {% for part in parts %}
        case when addresses.{{ part }} is null then 0 else 1 end{{ ' +' if not loop.last }}
        {% endfor %} as completeness
    from addresses
    inner join record_persons
        on
            addresses.source_table = record_persons.source_table
            and addresses.source_record_key = record_persons.source_record_key
    where addresses.address_line1 is not null or addresses.postal_code is not null

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
