{#
    One row per person the customer models know, with a fingerprint of everything the models
    kept per person read about them: a run recomputes only the persons whose fingerprint
    moved (drop_rows_of_changed_persons).

    `inputs_fingerprint` is the bit_xor of row_fingerprint over the person's
      - record_persons rows: which records (a record is one raw row, every version of a
        contact its own), resolved how;
      - clean base rows and current (stg_) rows of those records, with their lineage (load,
        row, the code that built them): a new current version replacing one (even by a
        version without identifiers, which resolves to nobody), a reload, new code;
      - identifiers (dim_identity_identifiers): value, status, anchor.
    `shared_inputs_fingerprint`, the same for everyone, covers what changes rows without
    changing any of those rows' lineage: the SQL of the blocklist rule (var
    `cdp_identity_blocklist` and its macro), which decides the junk the golden record refuses
    (a junk value new in the data comes with a new record, which the record set covers), and
    the code of user-declared source models, which carry no code fingerprints.
    A change goes unnoticed only if the changed rows' 64-bit hashes cancel out.
#}
{%- set models_by_source = {} -%}
{%- set fingerprinted = [] -%}
{%- for source in activity_sources() -%}
    {%- do models_by_source.update({source.table: {'base': source.base, 'stg': source.stg}}) -%}
    {%- do fingerprinted.extend([source.base, source.stg]) -%}
{%- endfor -%}
{%- for source in identity_sources() if source.source_table not in models_by_source -%}
    {%- do models_by_source.update(
        {source.source_table: {'base': source.base_model, 'stg': source.stg_model}}) -%}
{%- endfor -%}
{#-
    A source declared by the user (docs/own_source.md) may build plain tables without code
    fingerprints: its rows hash their load and row, and its models' code joins the shared
    fingerprint.
-#}
{%- set shared = [identity_block_reason('id_type', 'id_value')] -%}
{%- if execute -%}
    {%- for models in models_by_source.values() -%}
        {%- for name in models.values() if name and name not in fingerprinted -%}
            {%- do shared.append(graph.nodes['model.' ~ project_name ~ '.' ~ name].raw_code) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endif -%}

{#
    Each part is xor-ed per person before the union (the final group by then sees a few rows
    per person, not one per row), and reads record_persons itself: DuckDB would copy a CTE
    read this often in full first.
#}
with

hashed_parts as (

    select
        person_id,
        bit_xor({{ row_fingerprint(['source_table', 'source_record_key', 'resolved_via',
                                    'is_resolved_via_shared_identifier']) }}) as part_hash
    from {{ ref('int_identity__record_persons') }}
    where person_id is not null
    group by person_id

    {% for source_table, models in models_by_source | dictsort %}
    {% for version, model_name in models | dictsort if model_name %}
    {% set lineage = [string_literal(version), 'record_persons.source_table',
                      'record_persons.source_record_key'] %}
    {% for column in ['loaded_at', 'source_row'] + ([] if model_name not in fingerprinted
        else ['code_fingerprint'] + (['base_code_fingerprint'] if version == 'stg' else [])) %}
        {% do lineage.append('source_rows.' ~ column) %}
    {% endfor %}
    union all

    select
        record_persons.person_id,
        bit_xor({{ row_fingerprint(lineage) }}) as part_hash
    from {{ ref(model_name) }} as source_rows
    inner join {{ ref('int_identity__record_persons') }} as record_persons
        on
            record_persons.source_table = {{ string_literal(source_table) }}
            and source_rows.source_record_key = record_persons.source_record_key
    where
        record_persons.person_id is not null
        {%- if version == 'base' %}
        and source_rows.reject_reason is null
        {%- endif %}
    group by record_persons.person_id
    {% endfor %}
    {% endfor %}

    union all

    select
        person_id,
        bit_xor({{ row_fingerprint(['id_type', 'id_value', 'status', 'is_person_anchor']) }})
            as part_hash
    from {{ ref('dim_identity_identifiers') }}
    where person_id is not null
    group by person_id

),

person_fingerprints as (

    select
        person_id,
        bit_xor(part_hash) as inputs_fingerprint
    from hashed_parts
    group by person_id

),

shared_inputs as (

    select
        {{ row_fingerprint([string_literal(local_md5(shared | join('\n')))]) }}
            as shared_inputs_fingerprint

)

select
    person_fingerprints.person_id,
    person_fingerprints.inputs_fingerprint,
    shared_inputs.shared_inputs_fingerprint
from person_fingerprints
cross join shared_inputs
