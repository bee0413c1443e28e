{#
    SELECT of the pairs in relation/CTE `pairs` (columns contact_a, contact_b and the
    `carried` ones) with each pair's record keys, `names_swapped` and comparison levels
    (fuzzy_comparison_levels). One place that turns a pair into levels, for the candidate
    pairs and the random sample alike, so u and m are estimated on the same measure.
    Each side's record is joined once and its compared columns carried as `a_*`/`b_*`: at a
    million persons there are tens of millions of pairs, and a second pair of joins to read
    the columns again cost a third of the model's time.
#}
{% macro fuzzy_compared_pairs(pairs, carried=[]) -%}
    {%- set records = ref('int_identity__match_records') -%}
    {%- set compared_columns = [
        'source_record_key', 'first_name', 'first_name_canonical', 'first_name_given_names',
        'last_name', 'date_of_birth', 'birth_year', 'birth_month', 'birth_day',
        'birth_date_text', 'postal_code', 'address', 'city', 'email', 'phone'] -%}
    select
        joined.contact_a,
        joined.contact_b,
        joined.a_source_record_key as record_a,
        joined.b_source_record_key as record_b,
        {% for column in carried %}joined.{{ column }},
        {% endfor -%}
        joined.names_swapped,
        {{ fuzzy_comparison_levels('joined.a_', 'joined.b_', 'joined.names_swapped') }}
    from (
        select
            {% for column in carried %}{{ pairs }}.{{ column }},
            {% endfor -%}
            {{ pairs }}.contact_a,
            {{ pairs }}.contact_b,
            {% for column in compared_columns -%}
            a.{{ column }} as a_{{ column }},
            b.{{ column }} as b_{{ column }},
            {% endfor -%}
            {{ fuzzy_names_swapped('a', 'b') }} as names_swapped
        from {{ pairs }}
        inner join {{ records }} as a on {{ pairs }}.contact_a = a.contact_id
        inner join {{ records }} as b on {{ pairs }}.contact_b = b.contact_id
    ) as joined
{%- endmacro %}
