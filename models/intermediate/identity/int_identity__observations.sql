{#
    Every identifier on every clean raw row, earlier versions included: an older CRM export
    still carries the email a person used before changing it, and that email is how their old
    email engagement finds them. One select per source and identifier column declared in var
    `cdp_identity_sources` (a new source is a declaration there, not an edit here).
#}
with

observations as (

    {% for source in identity_sources() %}
    {{ identity_observations(
        ref(source.base_model), source.source_table, source.observed_at, source.identifiers
    ) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

{# A record can carry one value twice (phone = mobile phone): it is one observation. #}
select distinct
    source_table,
    source_record_key,
    id_type,
    id_value,
    observed_at
from observations
where id_value is not null
