{#
    The pre-hook statement of a model kept per load (identity observations and what is read
    from them): drops the rows of every load whose `signature` columns no longer match a row
    of `live_loads` (the loads as the upstream model holds them now: a count, a fingerprint)
    and all rows when the model's own code changed, and those meeting `also` (a SQL condition
    on `kept`). The model then reads exactly the loads it no longer holds. A model that was built before it was kept per load has no signature:
    rebuilding it and its descendants once is the way forward, said in one line (history
    models such as the person map opt out of full refreshes and keep their rows).
#}
{% macro drop_rows_of_changed_loads(live_loads, signature, also=none) -%}
    {%- if not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set held_columns = adapter.get_columns_in_relation(this) | map(attribute='name')
        | map('lower') | list -%}
    {%- for column in signature if column not in held_columns -%}
        {{ exceptions.raise_compiler_error(
            this ~ " was built by an earlier version (no " ~ column ~ " column): rebuild it"
            ~ " and what reads it once, with `cdp build --full-refresh --select "
            ~ this.identifier ~ "+`") }}
    {%- endfor -%}
    {%- set changed -%}
        kept.code_fingerprint <> '{{ current_code_fingerprint() }}'
        {%- if live_loads %}
        or not exists (
            select 1 from ({{ live_loads }}) as live
            where
                {%- for column in signature %}
                live.{{ column }} = kept.{{ column }}{{ ' and' if not loop.last }}
                {%- endfor %}
        )
        {%- else %}
        or true
        {%- endif %}
        {%- if also %}
        or {{ also }}
        {%- endif %}
    {%- endset -%}
    {{ return(delete_rows_where(this, changed)) }}
{%- endmacro %}
