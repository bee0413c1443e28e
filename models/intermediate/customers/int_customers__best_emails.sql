{#
    The email each person's golden record shows, from every source that declares an `email`
    attribute in var `cdp_identity_sources`; junk the identity blocklist refuses
    (test@test.com) never becomes anyone's email. Values compete in their matching form.
#}
with

record_persons as (

    select * from {{ ref('int_identity__record_persons') }}
    where person_id is not null and {{ in_person_scope('person_id') }}

),

source_emails as (

    {{ identity_source_attributes('email') }}

),

emails as (

    select
        *,
        {{ identity_value('email', 'email') }} as match_key
    from source_emails

),

blocked_emails as (

    select id_value from {{ ref('int_identity__identifiers') }}
    where id_type = 'email' and block_reason is not null

),

candidates as (

    select
        record_persons.person_id,
        emails.source_table,
        emails.source_record_key,
        emails.observed_at,
        emails.email,
        emails.match_key,
        1 as completeness
    from emails
    inner join record_persons
        on
            emails.source_table = record_persons.source_table
            and emails.source_record_key = record_persons.source_record_key
    left join blocked_emails on emails.match_key = blocked_emails.id_value
    where blocked_emails.id_value is null

),

{{ survivorship_pick('email') }}

select
    person_id,
    email,
    source_table as email_source,
    observed_at as email_observed_at,
    distinct_values as emails_seen
from ranked
where survivor_rank = 1
