{#
    Every identifier on every clean raw row, earlier versions included: an older CRM export
    still carries the email a person used before changing it, and that email is how their old
    email engagement finds them. One select per source and identifier column declared in var
    `cdp_identity_sources` (a new source is a declaration there, not an edit here).

    A record can carry one value twice (phone = mobile phone): it is one observation. Only a
    type read from several columns of one source can repeat (a base row is one raw line, its
    `source_record_key` unique), so only those selects are de-duplicated, not every row: a
    distinct over all observations was most of this model's time at a million persons.

    Incremental by load: a run reads the loads of each source it does not hold (its pre-hook,
    drop_observations_of_changed_loads, has dropped those that changed since they were read).
#}
{%- set sources = identity_sources() -%}

{% call with_code_fingerprint() %}
with

{{ held_loads() }}

{% for source in sources %}
{{ source.source_table }}_loads as (

    select * from ({{ observed_loads(source) }}) as loads
    {{ loads_not_held(string_literal(source.source_table), 'loads.loaded_at') }}

),

{{ source.source_table }}_rows as (

    select
        base_rows.*,
        loads.base_code_fingerprint,
        loads.load_clean_rows
    from {{ ref(source.base_model) }} as base_rows
    inner join {{ source.source_table }}_loads as loads
        on base_rows.loaded_at = loads.loaded_at
    where base_rows.reject_reason is null

),

{% endfor %}

observations as (

    {% for source in sources %}
    {%- set columns_by_type = {} -%}
    {%- for id_type, column in source.identifiers -%}
        {%- do columns_by_type.setdefault(id_type, []).append([id_type, column]) -%}
    {%- endfor -%}
    {% for id_type, identifiers in columns_by_type.items() %}
    {% set select_observations = identity_observations(
        source.source_table ~ '_rows', source.source_table, source.observed_at, identifiers) %}
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
    observed_at,
    loaded_at,
    base_code_fingerprint,
    load_clean_rows
from observations
where id_value is not null
{% endcall %}
