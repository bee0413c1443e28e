{#
    What a data test reads of the model it tests: rows matching the test's `where` config (as
    dbt's own macro), and, on a model kept per person, only the persons its last run
    recomputed. The other persons' rows are the ones the previous runs tested and this run
    left alone (drop_rows_of_changed_persons), so a test over them would only repeat itself;
    whether the right persons were recomputed is what the incremental-equals-full test checks.
#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- if config.get('where') -%}
        {%- do conditions.append('(' ~ config.get('where') ~ ')') -%}
    {%- endif -%}
    {%- if execute and is_kept_per_person(relation) -%}
        {%- do conditions.append('person_id in (select person_id from '
            ~ side_relation(relation, 'remembered_inputs')
            ~ ' where recomputed_in_last_run)') -%}
    {%- endif -%}
    {%- if not conditions -%}
        {{ return(relation) }}
    {%- endif -%}
    {{ return('(select * from ' ~ relation ~ ' where ' ~ conditions | join(' and ')
        ~ ') dbt_subquery') }}
{%- endmacro %}
