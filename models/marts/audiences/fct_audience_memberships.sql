{#
    Audience membership history: one row per stay of a person in an audience (and arm), from
    the run that put them in (`entered_at`) to the run that took them out (`exited_at`, null
    while a member). Each run closes the open stays the current members no longer justify and
    opens stays for new members; an unchanged run writes nothing, and a person who leaves and
    comes back gets a new row. Incremental with delete+insert on `membership_id`, and never
    rebuilt by --full-refresh: the history is state, not a function of today's data.
#}
{% set run_at = "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as timestamp)" %}

with

current_members as (

    select * from {{ ref('int_audiences__current_members') }}

),

definitions as (

    select * from {{ ref('int_audiences__definitions') }}

),

open_memberships as (

    {% if is_incremental() %}
    select * from {{ this }}
    where exited_at is null
    {% else %}
    select
        cast(null as {{ dbt.type_string() }}) as membership_id,
        cast(null as {{ dbt.type_string() }}) as person_id,
        cast(null as {{ dbt.type_string() }}) as audience_name,
        cast(null as {{ dbt.type_string() }}) as variant,
        cast(null as boolean) as is_holdout,
        cast(null as {{ dbt.type_timestamp() }}) as entered_at
    where 1 = 0
    {% endif %}

),

exits as (

    select
        open_memberships.membership_id,
        open_memberships.person_id,
        open_memberships.audience_name,
        open_memberships.variant,
        open_memberships.is_holdout,
        open_memberships.entered_at,
        {{ run_at }} as exited_at,
        -- The contract's varchar (string on Spark): PostgreSQL types the literals text
        -- (dbt's type_string too), which the incremental run's on_schema_change: fail
        -- reads as a changed column type.
        cast(case
            when definitions.audience_name is null then 'audience removed'
            when current_members.person_id is not null
                then 'moved to arm ' || current_members.variant
            else 'no longer qualifies'
        end as {{ data_type_name('varchar') }}) as exit_reason
    from open_memberships
    left join current_members
        on
            open_memberships.person_id = current_members.person_id
            and open_memberships.audience_name = current_members.audience_name
    left join definitions on open_memberships.audience_name = definitions.audience_name
    where
        current_members.person_id is null
        or current_members.variant <> open_memberships.variant

),

entries as (

    select
        {{ surrogate_key(['current_members.person_id', 'current_members.audience_name',
                          "'" ~ run_started_at.isoformat() ~ "'"]) }} as membership_id,
        current_members.person_id,
        current_members.audience_name,
        current_members.variant,
        current_members.is_holdout,
        {{ run_at }} as entered_at,
        cast(null as {{ dbt.type_timestamp() }}) as exited_at,
        cast(null as {{ dbt.type_string() }}) as exit_reason
    from current_members
    left join open_memberships
        on
            current_members.person_id = open_memberships.person_id
            and current_members.audience_name = open_memberships.audience_name
            and current_members.variant = open_memberships.variant
    where open_memberships.person_id is null

)

select * from exits
union all
select * from entries
