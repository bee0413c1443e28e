{#
    One row per defined audience: its definition (owner, rule as compiled for this warehouse,
    group and priority, tags such as suppression or lookalike seed, exclusions) and its
    current size, held-out share and variants, for BI and for choosing what to activate.
#}
with

definitions as (

    select * from {{ ref('int_audiences__definitions') }}

),

members as (

    select * from {{ ref('fct_audience_members') }}

),

sizes as (

    select
        audience_name,
        count(case when not is_holdout then 1 end) as members,
        count(case when is_holdout then 1 end) as holdout_members,
        {{ sorted_list_agg('variant') }} as variants,
        max(entered_at) as last_entry_at
    from members
    group by audience_name

)

select
    definitions.audience_name,
    definitions.description,
    definitions.owner,
    definitions.audience_group,
    definitions.group_priority,
    definitions.tags,
    definitions.excluded_audiences,
    definitions.rule_sql,
    coalesce(sizes.members, 0) as members,
    coalesce(sizes.holdout_members, 0) as holdout_members,
    sizes.variants,
    sizes.last_entry_at
from definitions
left join sizes on definitions.audience_name = sizes.audience_name
