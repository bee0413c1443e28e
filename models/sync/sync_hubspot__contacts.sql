{#
    One row per known person with an email, shaped for HubSpot contacts: the properties the
    CRM team wants kept current (lifecycle, value, RFM, subscription), keyed by person id and
    upserted by email. Destination-shaped columns live here, not in the sync definition, so
    they are tested like any model.
#}
with

customers as (

    select * from {{ ref('dim_customers') }}
    where email is not null

)

select
    person_id,
    email,
    first_name,
    last_name,
    phone,
    country_code,
    lifecycle_stage,
    rfm_segment,
    subscription_status,
    cast(cast({{ round_to('net_revenue', 2) }} as decimal(18, 2)) as {{ dbt.type_string() }})
        as total_revenue,
    cast(cast({{ round_to('predicted_clv', 2) }} as decimal(18, 2)) as {{ dbt.type_string() }})
        as predicted_clv,
    purchase_propensity,
    consent_marketing_email
from customers
