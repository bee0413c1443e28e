{#
    SELECT of the pairs in relation/CTE `pairs` (columns contact_a, contact_b and the
    `carried` ones) with each pair's record keys, `names_swapped` and comparison levels
    (fuzzy_comparison_levels). One place that turns a pair into levels, for the candidate
    pairs and the random sample alike, so u and m are estimated on the same measure.
#}
{% macro fuzzy_compared_pairs(pairs, carried=[]) -%}
    {%- set records = ref('int_identity__match_records') -%}
    select
        oriented.contact_a,
        oriented.contact_b,
        a.source_record_key as record_a,
        b.source_record_key as record_b,
        {% for column in carried %}oriented.{{ column }},
        {% endfor -%}
        oriented.names_swapped,
        {{ fuzzy_comparison_levels('a', 'b', 'oriented.names_swapped') }}
    from (
        select
            {% for column in carried %}{{ pairs }}.{{ column }},
            {% endfor -%}
            {{ pairs }}.contact_a,
            {{ pairs }}.contact_b,
            {{ fuzzy_names_swapped('a', 'b') }} as names_swapped
        from {{ pairs }}
        inner join {{ records }} as a on {{ pairs }}.contact_a = a.contact_id
        inner join {{ records }} as b on {{ pairs }}.contact_b = b.contact_id
    ) as oriented
    inner join {{ records }} as a on oriented.contact_a = a.contact_id
    inner join {{ records }} as b on oriented.contact_b = b.contact_id
{%- endmacro %}
