{#
    Every usable (not blocked) identifier of every record, by the identifier's integer id
    (identifier_number, as int_identity__identifiers numbers it): sharing,
    anchors and edges join integers from here on.

    Kept per load like the observations: a run reads the loads it does not hold, after its
    pre-hook (drop_record_identifiers_of_changed_loads) dropped those the observations read
    again. Which identifiers are blocked is read from int_identity__identifiers (an integer
    semi-join: the blocklist's regexes run once per identifier, not once per observation); the
    rule's SQL is hashed into a comment below, so a changed blocklist changes this model's code
    fingerprint and its held rows are rebuilt.
#}
{% call with_code_fingerprint() %}
/* blocklist rule {{ local_md5(identity_block_reason('id_type', 'id_value'))[:16] }} */
with

{{ held_loads() }}

observations as (

    select
        observations.*,
        {{ identifier_number('observations.id_type', 'observations.id_value') }}
            as identifier_id
    from {{ ref('int_identity__observations') }} as observations
    {{ loads_not_held('observations.source_table', 'observations.loaded_at') }}

),

usable_identifiers as (

    select identifier_id from {{ ref('int_identity__identifiers') }}
    where block_reason is null

)

select
    observations.source_table,
    observations.source_record_key,
    observations.observed_at,
    observations.identifier_id,
    observations.id_type,
    observations.loaded_at,
    observations.base_code_fingerprint,
    observations.load_clean_rows,
    observations.code_fingerprint as observations_code_fingerprint
from observations
inner join usable_identifiers on observations.identifier_id = usable_identifiers.identifier_id
{% endcall %}
