{#
    Every pair of match records some blocking rule puts side by side (var
    `cdp_identity_fuzzy.blocking_rules`, OR-ed): records agreeing on all of a rule's keys. A
    key value shared by more than the rule's `max_block_size` records (a placeholder birth
    date, a big building, a common name) would make its pairs explode, so such a block is
    skipped and counted in int_identity__blocking_rules instead; the other rules still see
    those records.
#}
{%- set fuzzy = fuzzy_settings() -%}

with

{% for rule in fuzzy.rules %}
keyed_{{ rule.order }} as (

    select
        contact_id,
        {% for key in rule['keys'] -%}
            cast({{ key }} as {{ dbt.type_string() }}){{ " || '|' || " if not loop.last }}
        {%- endfor %} as block_key
    from {{ ref('int_identity__match_records') }}
    where
        {% for key in rule['keys'] -%}
        {{ 'and ' if not loop.first }}{{ key }} is not null
        {% endfor %}

),

blocks_{{ rule.order }} as (

    select block_key
    from keyed_{{ rule.order }}
    group by block_key
    having count(*) between 2 and {{ rule.max_block_size }}

),

pairs_{{ rule.order }} as (

    select
        a.contact_id as contact_a,
        b.contact_id as contact_b,
        {{ rule.order }} as rule_order
    from keyed_{{ rule.order }} as a
    inner join blocks_{{ rule.order }} as blocks on a.block_key = blocks.block_key
    inner join keyed_{{ rule.order }} as b
        on a.block_key = b.block_key and a.contact_id < b.contact_id

),

{% endfor %}

all_pairs as (

    {% for rule in fuzzy.rules %}
    select * from pairs_{{ rule.order }}
    {{ 'union all' if not loop.last }}
    {% endfor %}
    {% if not fuzzy.rules %}
    select
        cast(null as {{ dbt.type_string() }}) as contact_a,
        cast(null as {{ dbt.type_string() }}) as contact_b,
        0 as rule_order
    where false
    {% endif %}

)

select * from all_pairs
