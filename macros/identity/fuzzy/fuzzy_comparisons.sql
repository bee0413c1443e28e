{#
    The Fellegi-Sunter comparisons of probabilistic matching: per comparison, its levels
    (closest first, 0 = disagree; -1 = a value is missing, which weighs nothing) and their
    labels. One list that the level SQL (fuzzy_comparison_levels), the EM model and the
    evidence text all read, so a level cannot mean two things.

    Address, postcode and city are one `location` comparison on purpose: for the family at one
    address they are one coincidence, not three independent ones, and counting them apart
    merges relatives (conditional independence is the model's assumption; DECISIONLOG).
    Emails and phones only count when equal: relatives' addresses look alike (jo.smith@,
    jd.smith@), so a "similar email" level would be household evidence, not personal.
#}
{% macro fuzzy_comparisons() -%}
    {{ return([
        {'name': 'first_name', 'levels': [
            [5, 'exact'], [4, 'one edit'], [3, 'nickname, initial or prefix'],
            [2, 'similar'], [0, 'different']]},
        {'name': 'last_name', 'levels': [
            [4, 'exact'], [3, 'one edit'], [2, 'similar'], [0, 'different']]},
        {'name': 'date_of_birth', 'levels': [
            [4, 'exact'], [3, 'day and month swapped'], [2, 'one digit differs'],
            [0, 'different']]},
        {'name': 'location', 'levels': [
            [4, 'same address and postcode'], [3, 'similar address'], [2, 'same postcode'],
            [1, 'near postcode or same city'], [0, 'different']]},
        {'name': 'email', 'levels': [[1, 'exact'], [0, 'different']]},
        {'name': 'phone', 'levels': [[1, 'exact'], [0, 'different']]},
    ]) }}
{%- endmacro %}
