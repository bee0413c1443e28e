{#
    The pre-hook of a model kept per person: writes `<model>__persons_in_scope`, the persons
    whose inputs changed since the model's rows were computed, and returns the statement that
    deletes their rows; the body (in_person_scope) then recomputes exactly them.

    A person is in scope when their row of int_customers__person_inputs differs from the one
    remembered in `<model>__remembered_inputs` (remember_person_inputs), or exists on one side
    only (a new person; a person merged away). Everyone is in scope, and every row deleted,
    when nothing is remembered (the first incremental run, a crash after a Spark rewrite) or
    the model's code or a var it reads changed.
#}
{% macro drop_rows_of_changed_persons() -%}
    {%- if not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set scope = side_relation(this, 'persons_in_scope') -%}
    {%- set remembered = adapter.get_relation(
        database=this.database, schema=this.schema,
        identifier=side_relation(this, 'remembered_inputs').identifier) -%}
    {%- set current = ref('int_customers__person_inputs') -%}
    {%- set everyone = remembered is none -%}
    {%- if not everyone -%}
        {%- set stale = run_query(
            "select count(*) from " ~ remembered ~ " where code_fingerprint <> '"
            ~ code_fingerprint_of(model.compiled_code) ~ "'").columns[0].values()[0] -%}
        {%- set everyone = stale > 0 -%}
    {%- endif -%}
    {%- if everyone -%}
        {%- set in_scope -%}
            select person_id from {{ current }}
            union
            select person_id from {{ this }}
        {%- endset -%}
    {%- else -%}
        {%- set in_scope -%}
            select coalesce(current_inputs.person_id, remembered.person_id) as person_id
            from {{ current }} as current_inputs
            full outer join {{ remembered }} as remembered
                on current_inputs.person_id = remembered.person_id
            where
                current_inputs.person_id is null
                or remembered.person_id is null
                or current_inputs.inputs_fingerprint <> remembered.inputs_fingerprint
                or current_inputs.shared_inputs_fingerprint
                <> remembered.shared_inputs_fingerprint
        {%- endset -%}
    {%- endif -%}
    {%- do adapter.drop_relation(scope) -%}
    {%- do run_query(get_create_table_as_sql(False, scope, in_scope)) -%}
    {%- set counts = run_query("select (select count(*) from " ~ scope ~ "), (select count(*)"
        ~ " from " ~ current ~ ")").rows[0] -%}
    {%- do log(this.identifier ~ ': recomputing ' ~ counts[0] ~ ' of ' ~ counts[1] ~ ' persons ('
        ~ ('everyone: nothing remembered or new code' if everyone else 'inputs changed') ~ ')',
        info=true) -%}
    {{ return(delete_rows_where(this, 'true' if everyone
        else 'kept.person_id in (select person_id from ' ~ scope ~ ')')) }}
{%- endmacro %}
