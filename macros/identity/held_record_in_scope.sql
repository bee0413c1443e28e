{#
    Whether the record of the rows aliased `rows` is in int_identity__record_nodes' list of
    held records to rank again (`<model>__records_in_scope`, drop_record_nodes_of_changed_loads):
    the one condition its pre-hook deletes by and its body reads by.
#}
{% macro held_record_in_scope(rows) -%}
    exists (
        select 1 from {{ side_relation(this, 'records_in_scope') }} as in_scope
        where
            in_scope.source_table = {{ rows }}.source_table
            and in_scope.source_record_key = {{ rows }}.source_record_key
    )
{%- endmacro %}
