{#
    One row per person with at least one record: the spine of the golden record. A shared
    identifier (a household landline) keeps a profile of its own in the identity graph, but
    with no record anchored to it that profile is not a customer and is left out.
#}
select
    person_id,
    count(*) as records,
    count(distinct source_table) as sources
from {{ ref('int_identity__record_persons') }}
where person_id is not null and {{ in_person_scope('person_id') }}
group by person_id
