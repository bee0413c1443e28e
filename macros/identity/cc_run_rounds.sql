{#
    The contraction rounds of connected_components: E_0 is `initial_edges` (the stored edge
    list or its touched part, see cc_scope), then per round k the map M_k (`__cc_m<k>`) and
    E_(k+1) (`__cc_e<k+1>`), dropping E_k once E_(k+1) exists, until E_(k+1) is empty or
    `max_rounds` maps exist. E_0 itself is never dropped here: its owner keeps or drops it.
    Returns `maps` (the map relations, kept for labelling), `rounds` ([round, edges, vertices]
    entering each round) and `remaining` (edges left after the last round: 0 when converged).
#}
{% macro cc_run_rounds(base_relation, initial_edges, max_rounds) -%}
    {%- set result = {'maps': [], 'rounds': [], 'remaining': none} -%}
    {%- set state = namespace(edges=initial_edges) -%}
    {%- for round in range(max_rounds) -%}
        {%- set round_map = cc_work_relation(base_relation, 'm' ~ round) -%}
        {%- set next_edges = cc_work_relation(base_relation, 'e' ~ (round + 1)) -%}
        {%- call statement('cc_map') -%}
            {{ get_create_table_as_sql(False, round_map, cc_min_neighbour_map_sql(state.edges)) }}
        {%- endcall -%}
        {%- call statement('cc_contract') -%}
            {{ get_create_table_as_sql(
                False, next_edges, cc_contract_edges_sql(state.edges, round_map)
            ) }}
        {%- endcall -%}
        {%- set counts = run_query(cc_round_counts_sql(
            round_map, next_edges, initial_edges if round == 0 else none
        )).rows[0] -%}
        {%- set entering = counts[2] if round == 0 else result.remaining -%}
        {%- do result.rounds.append([round, entering | int, counts[0] | int]) -%}
        {%- do result.maps.append(round_map) -%}
        {%- do result.update({'remaining': counts[1] | int}) -%}
        {#- The dispatched drop_relation macro, not adapter.drop_relation: the latter renders a
            fresh macro context per call (~10 ms), which dominates rounds on small graphs. -#}
        {%- if round > 0 -%}
            {%- do drop_relation(state.edges) -%}
        {%- endif -%}
        {%- set state.edges = next_edges -%}
        {%- if result.remaining == 0 -%}
            {%- break -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do drop_relation(state.edges) -%}
    {{ return(result) }}
{%- endmacro %}
