{#
    The `loaded_at_query` of the export sources' freshness: when the newest export file of
    the source's raw table arrived (its modification time, recorded by `cdp load` in
    `_loaded_files`). Not max(`_loaded_at`): a full load (the nightly run) stamps every row
    with the load's time, so the sources would look fresh forever after an export stopped.

    relation: the source's raw table (`this` in the freshness query).
#}
{% macro newest_export_at(relation) -%}
    select max(modified_at)
    from {{ relation.incorporate(path={'identifier': '_loaded_files'}) }}
    where source_table = '{{ relation.identifier }}'
{%- endmacro %}
