{#
    The filter of a model kept per person: on an incremental run, only the persons its pre-hook
    (drop_rows_of_changed_persons) put in scope; `true` otherwise. `person_id` is the SQL
    expression of the rows' person. Filter the person-keyed inputs as early as possible.
    The ref makes every model using it build after int_customers__person_inputs.
#}
{% macro in_person_scope(person_id) -%}
    {%- set inputs = ref('int_customers__person_inputs') -%}
    {%- call per_run_filter() -%}
    {%- if is_incremental() -%}
        {{ person_id }} in (select person_id from {{ side_relation(this, 'persons_in_scope') }})
    {%- else -%}
        true
    {%- endif -%}
    {%- endcall -%}
{%- endmacro %}
