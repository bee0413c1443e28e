{#
    What each blocking rule of var `cdp_identity_fuzzy.blocking_rules` did: its blocks, the
    blocks skipped for exceeding `max_block_size` (and their records), the candidate pairs it
    produced and how many no earlier rule had. A rule whose `new_pairs` stays 0 costs time for
    nothing; skipped blocks warn (test) because their pairs rely on the other rules.
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
        count(*) as blocks,
        sum(case when records > {{ fuzzy.max_block_size }} then 1 else 0 end)
            as skipped_blocks,
        sum(case when records > {{ fuzzy.max_block_size }} then records else 0 end)
            as skipped_records
    from blocks_{{ rule.order }}
    {{ 'union all' if not loop.last }}
    {% endfor %}
    {% if not fuzzy.rules %}
    select 0, '', '', 0, 0, 0 where false
    {% endif %}

),

first_rules as (

    select
        contact_a,
        contact_b,
        min(rule_order) as first_rule
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
    from first_rules
    group by first_rule

)

select
    block_counts.rule_name,
    block_counts.rule_order,
    block_counts.rule_keys,
    block_counts.blocks,
    coalesce(block_counts.skipped_blocks, 0) as skipped_blocks,
    coalesce(block_counts.skipped_records, 0) as skipped_records,
    coalesce(pair_counts.candidate_pairs, 0) as candidate_pairs,
    coalesce(new_pair_counts.new_pairs, 0) as new_pairs
from block_counts
left join pair_counts on block_counts.rule_order = pair_counts.rule_order
left join new_pair_counts on block_counts.rule_order = new_pair_counts.rule_order
