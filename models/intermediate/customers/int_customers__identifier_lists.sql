{#
    One row per person: every identifier they hold, listed per type (sorted, comma-separated)
    and counted. Shared identifiers are listed (they are the person's); blocked junk is not.
    Types from var `cdp_identity_types` name columns: each is a checked identifier.
#}
with

identifiers as (

    select * from {{ ref('dim_identity_identifiers') }}
    where person_id is not null and status in ('linked', 'shared')

)

select
    person_id,
    {% for id_type in checked_list(var('cdp_identity_types'), 'var cdp_identity_types') %}
        {%- set id_type = checked_identifier(
            id_type, 'var cdp_identity_types[' ~ loop.index0 ~ ']') %}
    {{ sorted_list_agg('case when id_type = ' ~ string_literal(id_type) ~ ' then id_value end') }}
        as {{ id_type }}s,
    count(case when id_type = {{ string_literal(id_type) }} then 1 end) as {{ id_type }}_count,
    {% endfor %}
    count(*) as identifier_count
from identifiers
group by person_id
