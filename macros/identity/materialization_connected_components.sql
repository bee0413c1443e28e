{#
    Materialization `connected_components`: the model selects an undirected edge list
    (`node_a`, `node_b`, non-null bigints; duplicates, both directions and self-loops allowed)
    and the table holds (node_id, component_id) for every node of any edge, component_id being
    the smallest node_id of its connected component.

    Min-neighbour contraction with per-round maps, not label propagation (whose rounds grow
    with the diameter): round k maps every vertex of E_k to the least of itself and its
    neighbours (M_k), E_(k+1) is E_k through M_k without self-loops, until E_(k+1) is empty;
    labels are the maps composed backwards. With node ids in hashed/random order the fixed
    min priority acts as a random one and rounds stay ~O(log n); ids sorted along a path make
    it linear. Config `max_rounds` (default var `cdp_identity_max_cc_rounds`, else 50; an
    integer >= 1, checked with checked_number): not converging within it is an error, never
    partial labels.

    Incremental by default: the edge list is kept as `<identifier>__cc_edges`, and a later run
    re-resolves only the components its changed edges touch (cc_scope); the others keep their
    labels, which are the same as a full run's. --full-refresh, or a missing snapshot,
    resolves everything. The old snapshot is dropped before the labels are swapped in and the
    new one renamed after, so a crash in between leaves no snapshot (next run: full), never a
    snapshot that disagrees with the labels.

    Work tables `<identifier>__cc_e<k>` / `__cc_m<k>` / `__cc_f<k>` / `__cc_touched` /
    `__cc_edges_next` live in the model's schema and are dropped (leftovers of failed runs
    too); `<identifier>__cc_rounds` (round, edges, vertices entering each round; round 0 of an
    incremental run counts the touched part only) is kept for monitoring.
#}
{% materialization connected_components, default %}

    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
    {%- set preexisting_intermediate_relation = load_cached_relation(intermediate_relation) -%}
    {%- set backup_relation_type = 'table' if existing_relation is none
        else existing_relation.type -%}
    {%- set backup_relation = make_backup_relation(target_relation, backup_relation_type) -%}
    {%- set preexisting_backup_relation = load_cached_relation(backup_relation) -%}
    {%- set grant_config = config.get('grants') -%}
    {#- A checked integer >= 1 (`| int` would turn a typo into 0); it names work tables. -#}
    {%- set max_rounds = checked_number(
        config.get('max_rounds', var('cdp_identity_max_cc_rounds', 50)),
        "connected_components model '" ~ model.name ~ "': max_rounds"
        ~ " (config max_rounds / var cdp_identity_max_cc_rounds)",
        integer=true, minimum=1) -%}
    {%- set rounds_relation = cc_work_relation(target_relation, 'rounds') -%}
    {%- set edges_relation = cc_work_relation(target_relation, 'edges_next') -%}
    {%- set snapshot = cc_work_relation(target_relation, 'edges') -%}
    {%- set previous_edges = adapter.get_relation(
        database=snapshot.database, schema=snapshot.schema, identifier=snapshot.identifier) -%}

    {{ drop_relation_if_exists(preexisting_intermediate_relation) }}
    {{ drop_relation_if_exists(preexisting_backup_relation) }}
    {% do cc_drop_work_relations(target_relation, max_rounds) %}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}

    -- `BEGIN` happens here:
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {% call statement('cc_edges') -%}
        {{ get_create_table_as_sql(False, edges_relation, cc_initial_edges_sql(sql)) }}
    {%- endcall %}
    {%- set incremental = existing_relation is not none and not should_full_refresh() -%}
    {%- set scope = cc_scope(
        target_relation,
        existing_relation if incremental else none,
        previous_edges if incremental else none,
        edges_relation) -%}

    {#- Contraction rounds; not converging is an error, never partial labels. -#}
    {%- set contraction = cc_run_rounds(target_relation, scope.edges, max_rounds) -%}
    {%- if contraction.remaining > 0 -%}
        {%- for work_table in contraction.maps + scope.work_tables + [edges_relation] -%}
            {%- do drop_relation(work_table) -%}
        {%- endfor -%}
        {%- do exceptions.raise_compiler_error(
            "connected_components model '" ~ model.name ~ "' (" ~ target_relation ~ ")"
            ~ " did not converge within max_rounds=" ~ max_rounds ~ ": "
            ~ contraction.remaining ~ " edges remain. Assign node ids in hashed/random order,"
            ~ " or raise config max_rounds / var cdp_identity_max_cc_rounds."
        ) -%}
    {%- endif -%}

    {#- Build model: the maps composed backwards give every node its component. -#}
    {%- set roots = cc_compose_roots(target_relation, contraction.maps) -%}
    {%- set labels_sql = roots.sql if scope.kept is none
        else scope.kept ~ '\nunion all\nselect * from (\n' ~ roots.sql ~ '\n) as resolved' -%}
    {% call statement('main') -%}
        {{ get_create_table_as_sql(False, intermediate_relation, labels_sql) }}
    {%- endcall %}

    {% do create_indexes(intermediate_relation) %}

    {#- Monitoring: the kept `__cc_rounds` table and one log line; then the work tables go. -#}
    {%- set rounds = contraction.rounds -%}
    {%- do adapter.drop_relation(rounds_relation) -%}
    {% call statement('cc_rounds') -%}
        {{ get_create_table_as_sql(False, rounds_relation, cc_rounds_sql(rounds)) }}
    {%- endcall %}
    {{ log(
        'connected components: ' ~ rounds[0][2] ~ ' nodes, ' ~ rounds[0][1] ~ ' edges, '
        ~ rounds | length ~ ' rounds'
        ~ (' (only the components touched by changed edges)' if scope.kept is not none else ''),
        info=True
    ) }}

    {%- for work_table in contraction.maps + roots.work_tables + scope.work_tables -%}
        {%- do drop_relation(work_table) -%}
    {%- endfor %}

    -- cleanup
    {% if existing_relation is not none %}
        {% set existing_relation = load_cached_relation(existing_relation) %}
        {% if existing_relation is not none %}
            {{ adapter.rename_relation(existing_relation, backup_relation) }}
        {% endif %}
    {% endif %}

    {#- Old snapshot out before the new labels go in, new snapshot after (see above). -#}
    {{ drop_relation_if_exists(previous_edges) }}
    {{ adapter.rename_relation(intermediate_relation, target_relation) }}
    {{ adapter.rename_relation(edges_relation, snapshot) }}

    {{ run_hooks(post_hooks, inside_transaction=True) }}

    {% set should_revoke = should_revoke(existing_relation, full_refresh_mode=True) %}
    {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke) %}

    {% do persist_docs(target_relation, model) %}

    -- `COMMIT` happens here
    {{ adapter.commit() }}

    -- finally, drop the existing/backup relation after the commit
    {{ drop_relation_if_exists(backup_relation) }}

    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}

{% endmaterialization %}
