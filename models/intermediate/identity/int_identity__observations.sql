{#
    Every identifier on every clean raw row, earlier versions included: an older CRM export
    still carries the email a person used before changing it, and that email is how their old
    email engagement finds them. One select per source and identifier column declared in var
    `cdp_identity_sources` (a new source is a declaration there, not an edit here).

    A record can carry one value twice (phone = mobile phone): it is one observation. Only a
    type read from several columns of one source can repeat (a base row is one raw line, its
    `source_record_key` unique), so only those selects are de-duplicated, not every row: a
    distinct over all observations was most of this model's time at a million persons.
#}
with

observations as (

    {% for source in identity_sources() %}
    {%- set columns_by_type = {} -%}
    {%- for id_type, column in source.identifiers -%}
        {%- do columns_by_type.setdefault(id_type, []).append([id_type, column]) -%}
    {%- endfor -%}
    {% for id_type, identifiers in columns_by_type.items() %}
    {% set select_observations = identity_observations(
        ref(source.base_model), source.source_table, source.observed_at, identifiers) %}
    {% if identifiers | length > 1 -%}
    select distinct * from ({{ select_observations }}) as {{ id_type }}_observations
    {%- else -%}
    {{ select_observations }}
    {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select
    source_table,
    source_record_key,
    id_type,
    id_value,
    observed_at
from observations
where id_value is not null
