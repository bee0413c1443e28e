{#
    The statement that deletes the rows of `relation` (aliased `kept`) meeting `condition`: an
    incremental model's pre-hook.
#}
{% macro delete_rows_where(relation, condition) -%}
    {{ return(adapter.dispatch('delete_rows_where', 'cdp')(relation, condition)) }}
{%- endmacro %}

{% macro default__delete_rows_where(relation, condition) -%}
    delete from {{ relation }} as kept where {{ condition }}
{%- endmacro %}

{#
    Spark's Parquet tables take no DELETE: the kept rows are staged in a work table, written
    over the table, and the work table's drop is the hook's statement.
#}
{% macro spark__delete_rows_where(relation, condition) -%}
    {%- set staged = relation.incorporate(path={'identifier': relation.identifier ~ '__kept'}) -%}
    {% do run_query('drop table if exists ' ~ staged) %}
    {% do run_query('create table ' ~ staged ~ ' using parquet as select * from ' ~ relation
                    ~ ' as kept where not (' ~ condition ~ ')') %}
    {% do run_query('insert overwrite table ' ~ relation ~ ' select * from ' ~ staged) %}
    drop table if exists {{ staged }}
{%- endmacro %}
