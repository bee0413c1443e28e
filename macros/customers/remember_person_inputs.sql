{#
    The post-hook of a model kept per person: remembers, in `<model>__remembered_inputs`, the
    inputs fingerprint of every person its rows now reflect (with the model's code
    fingerprint and whether this run recomputed the person), and drops the run's scope.
    Inside the model's transaction on DuckDB and PostgreSQL. On Spark a crash before this
    leaves the old fingerprints: the next run recomputes a superset, never too little.
#}
{% macro remember_person_inputs() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set scope = side_relation(this, 'persons_in_scope') -%}
    {%- set remembered = side_relation(this, 'remembered_inputs') -%}
    {%- set recomputed = 'current_inputs.person_id in (select person_id from ' ~ scope ~ ')'
        if is_incremental() else 'true' -%}
    {%- set inputs -%}
        select
            current_inputs.person_id,
            current_inputs.inputs_fingerprint,
            current_inputs.shared_inputs_fingerprint,
            '{{ code_fingerprint_of(model.compiled_code) }}' as code_fingerprint,
            {{ recomputed }} as recomputed_in_last_run
        from {{ ref('int_customers__person_inputs') }} as current_inputs
    {%- endset -%}
    {%- do adapter.drop_relation(remembered) -%}
    {%- do run_query(get_create_table_as_sql(False, remembered, inputs)) -%}
    drop table if exists {{ scope }}
{%- endmacro %}
