{#
    The Fellegi-Sunter model, estimated without labels from int_identity__comparison_patterns:
    one row per comparison and level with P(level | same person) (m), P(level | different
    persons) (u) and the match weight log2(m / u), plus a `prior` row (the chance that two
    random records are one person, its weight log2(prior / (1 - prior))).
    - u: level frequencies among the random pairs (add-one smoothed, so no level is
      impossible).
    - m: expectation-maximisation, `em_iterations` rounds, run separately on each blocking
      rule's pairs with the comparisons that rule's keys bias left out (pairs that agree on the
      birth date by construction say nothing about birth dates), then averaged over the rules
      that estimated it, as Splink does. Inside a rule the non-matching class gets its own u
      (started from the random pairs'): a rule's non-matches are not random pairs (blocked on
      postcode and street number they are mostly relatives, who share a surname), and a class
      held to random u would absorb them into the matches. Only m leaves the rule.
      Parameters are rounded to 10 places each round, so the sums' order (which differs
      between engines) cannot change a weight.
    - prior: the matches EM expects among the candidate pairs (each pair under the model of the
      first rule that produced it) over all pairs of records.
#}
{%- set fuzzy = fuzzy_settings() -%}
{%- set comparisons = fuzzy_comparisons() -%}
{%- set double = type_double() -%}

{#- Per comparison: the rules that leave it out (their keys bias it) and those that train it;
    per comparison and level: EM's starting m (the top level likely, `different` rare). -#}
{%- set excluded = {} -%}
{%- set trained = {} -%}
{%- set initial_m = {} -%}
{%- for comparison in comparisons -%}
    {%- set leaving_out = [] -%}
    {%- set training = [] -%}
    {%- for rule in fuzzy.rules -%}
        {%- do (leaving_out if comparison.name in rule.excluded else training).append(
            rule.order | string) -%}
    {%- endfor -%}
    {%- do excluded.update({comparison.name: 'p.rule_order in (' ~ leaving_out | join(', ') ~ ')'
        if leaving_out else 'false'}) -%}
    {%- do trained.update({comparison.name: training | join(', ') if training else 'null'}) -%}
    {%- set agreeing = comparison.levels | length - 1 -%}
    {%- for level in comparison.levels -%}
        {%- do initial_m.update({comparison.name ~ '_' ~ level[0]:
            0.1 if level[0] == 0 else (0.9 if agreeing == 1 else 0.6)
            if loop.first else 0.3 / (agreeing - 1)}) -%}
    {%- endfor -%}
{%- endfor %}


{#-
    EM runs in the warehouse a few rounds per statement, each batch a work table the next one
    reads: one statement of all rounds nests too deep for Spark's analyzer (it gives up past
    100 resolution passes, and with a higher limit takes minutes to plan). The two work
    tables alternate and are dropped after the build (post-hooks).
-#}
{%- set rounds_per_statement = 5 -%}
{%- set work = [] -%}
{%- for suffix in ['a', 'b'] -%}
    {%- do work.append(this.incorporate(
        path={'identifier': this.identifier ~ '__em_' ~ suffix}, type='table')) -%}
{%- endfor -%}
{#- Hooks render when they run, where `this` has its final schema (not at parse time). -#}
{{ config(post_hook=[
    "drop table if exists {{ this.incorporate(path={'identifier': this.identifier ~ '__em_a'}) }}",
    "drop table if exists {{ this.incorporate(path={'identifier': this.identifier ~ '__em_b'}) }}",
]) }}

{%- set common -%}
rule_patterns as (

    select * from {{ ref('int_identity__comparison_patterns') }}
    where rule_order > 0

),

u_probabilities as (

    select
        {% for comparison in comparisons %}{% for level in comparison.levels -%}
        cast(sum(case when {{ comparison.name }}_level = {{ level[0] }} then pairs else 0 end)
            + 1 as {{ double }})
        / cast(sum(case when {{ comparison.name }}_level >= 0 then pairs else 0 end)
            + {{ comparison.levels | length }} as {{ double }})
            as u_{{ comparison.name }}_{{ level[0] }}{{ ',' if not loop.last }}
        {% endfor %}{{ ',' if not loop.last }}
        {% endfor %}
    from {{ ref('int_identity__comparison_patterns') }}
    where rule_order = 0

)
{%- endset -%}

{%- set batches = (fuzzy.em_iterations + rounds_per_statement - 1) // rounds_per_statement -%}
{%- set final = work[batches % 2] -%}
{#- Only when the model is built: `dbt compile` and docs must not write tables. -#}
{%- if execute and flags.WHICH in ('run', 'build', 'retry') -%}
    {%- set start -%}
        with
        {{ common }},

        params_0 as (

    select
        rules.rule_order,
        cast(0.3 as {{ double }}) as match_prior,
        {% for comparison in comparisons %}{% for level in comparison.levels -%}
        cast({{ initial_m[comparison.name ~ '_' ~ level[0]] }} as {{ double }})
            as m_{{ comparison.name }}_{{ level[0] }},
        u.u_{{ comparison.name }}_{{ level[0] }}{{ ',' if not loop.last }}
        {% endfor %}{{ ',' if not loop.last }}
        {% endfor %}
    from (select distinct rule_order from rule_patterns) as rules
    cross join u_probabilities as u

)

        select * from params_0
    {%- endset -%}
    {%- do adapter.drop_relation(work[0]) -%}
    {%- call statement('fuzzy_em_start') -%}
        {{ get_create_table_as_sql(False, work[0], start) }}
    {%- endcall -%}
    {%- for batch in range(batches) -%}
        {%- set last = [rounds_per_statement, fuzzy.em_iterations - batch * rounds_per_statement]
            | min -%}
        {%- set batch_sql -%}
            with
            {{ common }},

            params_0 as (select * from {{ work[batch % 2] }}),

            {{ fuzzy_em_rounds(0, last, excluded, initial_m) }}

            done as (select 1 as finished)

            select * from params_{{ last }}
        {%- endset -%}
        {%- do adapter.drop_relation(work[(batch + 1) % 2]) -%}
        {%- call statement('fuzzy_em_batch') -%}
            {{ get_create_table_as_sql(False, work[(batch + 1) % 2], batch_sql) }}
        {%- endcall -%}
    {%- endfor -%}
{%- endif %}

with

{{ common }},


expected_matches as (

    select sum(coalesce(first_pairs * match_part / nullif(match_part + non_match_part, 0), 0))
        as matches
    from ({{ fuzzy_em_posterior(final, excluded) }}) as scored

),

records as (

    select cast(count(*) as {{ double }}) as records
    from {{ ref('int_identity__match_records') }}

),

{#- m: averaged over the rules that estimated it (not over those whose keys bias it). -#}
m_probabilities as (

    select
        {% for comparison in comparisons %}{% for level in comparison.levels -%}
        coalesce(avg(case when rule_order in ({{ trained[comparison.name] }})
            then m_{{ comparison.name }}_{{ level[0] }} end),
            {{ initial_m[comparison.name ~ '_' ~ level[0]] }})
            as m_{{ comparison.name }}_{{ level[0] }}{{ ',' if not loop.last }}
        {% endfor %}{{ ',' if not loop.last }}
        {% endfor %}
    from {{ final }}

),

weights as (

    {% for comparison in comparisons %}{% for level in comparison.levels %}
    select
        {{ string_literal(comparison.name) }} as comparison,
        {{ level[0] }} as level,
        {{ string_literal(level[1]) }} as level_label,
        cast({{ round_to('greatest(m.m_' ~ comparison.name ~ '_' ~ level[0] ~ ', 0.000001)', 10) }}
            as {{ double }})
            as m_probability,
        u.u_{{ comparison.name }}_{{ level[0] }} as u_probability
    from m_probabilities as m
    cross join u_probabilities as u
    union all
    {% endfor %}{% endfor %}
    select
        'prior' as comparison,
        0 as level,
        'two random records are one person' as level_label,
        {#- Floored far below any real prior (a million records give ~1e-7), and rounded to
            more places than m and u, so a large warehouse keeps its own prior. -#}
        cast({{ round_to(
            'least(greatest(coalesce(expected_matches.matches, 0) * 2'
            ~ ' / nullif(records.records * (records.records - 1), 0), 0.000000000001), 0.5)',
            18) }}
            as {{ double }})
            as m_probability,
        cast(null as {{ double }}) as u_probability
    from expected_matches
    cross join records

)

select
    comparison,
    level,
    level_label,
    m_probability,
    coalesce(u_probability, 1 - m_probability) as u_probability,
    cast({{ round_to('ln(m_probability / coalesce(u_probability, 1 - m_probability)) / ln(2)', 4) }}
        as {{ double }}) as match_weight
from weights
