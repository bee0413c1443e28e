{#
    The accepted probabilistic matches: pairs of CRM contacts int_identity__scored_pairs judges
    one person, with the probability, weight and evidence the identity graph's edge carries.
#}

select
    contact_a,
    contact_b,
    record_a,
    record_b,
    blocking_rule,
    match_probability,
    match_weight,
    match_evidence
from {{ ref('int_identity__scored_pairs') }}
where is_match
