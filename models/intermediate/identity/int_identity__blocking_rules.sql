{#
    What each blocking rule of var `cdp_identity_fuzzy.blocking_rules` did: its blocks, the
    blocks skipped for exceeding its `max_block_size` (and their records), the candidate pairs
    it produced, how many no earlier rule had, and the accepted matches among them (those no
    other rule produced: what the rule alone is worth). A rule with many pairs and few
    `only_matches` costs time for little: a lower `max_block_size` for it, or drop it. Skipped
    blocks warn (test) because their pairs rely on the other rules.
#}
{%- set fuzzy = fuzzy_settings() -%}

with

{% for rule in fuzzy.rules %}
blocks_{{ rule.order }} as (

    select count(*) as records
    from {{ ref('int_identity__match_records') }}
    where
        {% for key in rule['keys'] -%}
        {{ 'and ' if not loop.first }}{{ key }} is not null
        {% endfor %}
    group by
        {% for key in rule['keys'] -%}
        {{ key }}{{ ',' if not loop.last }}
        {% endfor %}
    having count(*) >= 2

),

{% endfor %}

block_counts as (

    {% for rule in fuzzy.rules %}
    select
        {{ rule.order }} as rule_order,
        {{ string_literal(rule.name) }} as rule_name,
        {{ string_literal(rule['keys'] | join(', ')) }} as rule_keys,
        {{ rule.max_block_size }} as max_block_size,
        count(*) as blocks,
        sum(case when records > {{ rule.max_block_size }} then 1 else 0 end)
            as skipped_blocks,
        sum(case when records > {{ rule.max_block_size }} then records else 0 end)
            as skipped_records
    from blocks_{{ rule.order }}
    {{ 'union all' if not loop.last }}
    {% endfor %}
    {% if not fuzzy.rules %}
    select 0, '', '', 0, 0, 0, 0 where false
    {% endif %}

),

pair_rules as (

    select
        contact_a,
        contact_b,
        min(rule_order) as first_rule,
        count(*) as rules
    from {{ ref('int_identity__blocked_pairs') }}
    group by contact_a, contact_b

),

pair_counts as (

    select
        rule_order,
        count(*) as candidate_pairs
    from {{ ref('int_identity__blocked_pairs') }}
    group by rule_order

),

new_pair_counts as (

    select
        first_rule as rule_order,
        count(*) as new_pairs
    from pair_rules
    group by first_rule

),

match_counts as (

    select
        blocked.rule_order,
        count(*) as matches,
        sum(case when pair_rules.rules = 1 then 1 else 0 end) as only_matches
    from {{ ref('int_identity__blocked_pairs') }} as blocked
    inner join {{ ref('int_identity__fuzzy_matches') }} as accepted
        on blocked.contact_a = accepted.contact_a and blocked.contact_b = accepted.contact_b
    inner join pair_rules
        on blocked.contact_a = pair_rules.contact_a and blocked.contact_b = pair_rules.contact_b
    group by blocked.rule_order

)

select
    block_counts.rule_name,
    block_counts.rule_order,
    block_counts.rule_keys,
    block_counts.max_block_size,
    block_counts.blocks,
    coalesce(block_counts.skipped_blocks, 0) as skipped_blocks,
    coalesce(block_counts.skipped_records, 0) as skipped_records,
    coalesce(pair_counts.candidate_pairs, 0) as candidate_pairs,
    coalesce(new_pair_counts.new_pairs, 0) as new_pairs,
    coalesce(match_counts.matches, 0) as matches,
    coalesce(match_counts.only_matches, 0) as only_matches
from block_counts
left join pair_counts on block_counts.rule_order = pair_counts.rule_order
left join new_pair_counts on block_counts.rule_order = new_pair_counts.rule_order
left join match_counts on block_counts.rule_order = match_counts.rule_order
