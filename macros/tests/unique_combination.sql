{#
    Generic test: no two rows share the same values of all `columns` (a compound primary key).
    The identity tables it guards hold tens of millions of rows keyed by several text columns,
    so the engine's own query may first narrow the rows down (duplicate_combinations).
#}
{% test unique_combination(model, columns) %}
    {{ duplicate_combinations(model, columns) }}
{% endtest %}
