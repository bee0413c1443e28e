{#
    Pre-hook of int_identity__record_nodes, kept per load like the record identifiers: adds
    to `<model>__records_in_scope` the records holding an identifier whose sharing flipped
    since they were ranked (their anchor may move), then drops their rows, those of loads the
    record identifiers read again since (or built with other code), and all rows when its own
    code changed. The scope is added to, never replaced, and dropped by the post-hook once
    the records are ranked again: a run that dies after the delete (Spark has no
    transaction) leaves it for the next run.
#}
{% macro drop_record_nodes_of_changed_loads() -%}
    {%- if not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set scope = side_relation(this, 'records_in_scope') -%}
    {%- set shared_now = 'select node_id from ' ~ ref('int_identity__nodes')
        ~ ' where is_shared' -%}
    {%- set shared_when_ranked = 'select node_id from ' ~ this ~ ' where is_shared' -%}
    {%- set flipped_records -%}
        select distinct
            source_table,
            source_record_key
        from {{ this }}
        where node_id in (
            select node_id from ({{ shared_now }} except {{ shared_when_ranked }}) as became
            union all
            select node_id from ({{ shared_when_ranked }} except {{ shared_now }}) as stopped
        )
    {%- endset -%}
    {%- if adapter.get_relation(database=scope.database, schema=scope.schema,
                                identifier=scope.identifier) is none -%}
        {%- do run_query(get_create_table_as_sql(False, scope, flipped_records)) -%}
    {%- else -%}
        {%- do run_query('insert into ' ~ scope ~ ' ' ~ flipped_records) -%}
    {%- endif -%}
    {{ return(drop_rows_of_changed_upstream_loads(ref('int_identity__record_identifiers'), [
        'source_table', 'loaded_at', 'base_code_fingerprint', 'load_clean_rows',
        'observations_code_fingerprint', 'record_identifiers_code_fingerprint'],
        also=held_record_in_scope('kept'))) }}
{%- endmacro %}
