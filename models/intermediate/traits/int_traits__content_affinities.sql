{#
    One row per person who played or viewed content: their favourite genre, team and artist
    (the most played/viewed; on a tie the most recent, then alphabetical), with how many of
    their plays/views the favourite accounts for. App plays and web content views both count.
#}
with

record_persons as (

    select * from {{ ref('int_identity__record_persons') }}
    where person_id is not null and {{ in_person_scope('person_id') }}

),

content_events as (

    select
        'app_events' as source_table,
        source_record_key,
        event_at,
        genre,
        team,
        artist
    from {{ ref('stg_app__events') }}
    where event_name = 'content_played'

    union all

    select
        'web_events' as source_table,
        source_record_key,
        event_at,
        lower({{ json_text('properties', ['genre']) }}) as genre,
        {{ json_text('properties', ['team']) }} as team,
        {{ json_text('properties', ['artist']) }} as artist
    from {{ ref('stg_web__events') }}
    where event_name = 'Content Viewed'

),

person_content as (

    select
        record_persons.person_id,
        content_events.*
    from content_events
    inner join record_persons
        on
            content_events.source_table = record_persons.source_table
            and content_events.source_record_key = record_persons.source_record_key

),

{% for affinity in ['genre', 'team', 'artist'] %}
{{ affinity }}_ranks as (

    select
        person_id,
        {{ affinity }},
        count(*) as plays,
        sum(count(*)) over (partition by person_id) as person_plays,
        row_number() over (
            partition by person_id
            order by count(*) desc, max(event_at) desc, {{ affinity }} asc
        ) as affinity_rank
    from person_content
    where {{ affinity }} is not null
    group by person_id, {{ affinity }}

),
{% endfor %}

people as (

    select
        person_id,
        count(*) as content_plays
    from person_content
    group by person_id

)

select
    people.person_id,
    people.content_plays,
    {% for affinity in ['genre', 'team', 'artist'] %}
    {{ affinity }}_ranks.{{ affinity }} as top_{{ affinity }},
    {{ decimal_ratio(
        affinity ~ '_ranks.plays * 1.0', affinity ~ '_ranks.person_plays', 5, 4
    ) }} as top_{{ affinity }}_share{{ ',' if not loop.last }}
    {% endfor %}
from people
{% for affinity in ['genre', 'team', 'artist'] %}
left join {{ affinity }}_ranks
    on
        people.person_id = {{ affinity }}_ranks.person_id
        and {{ affinity }}_ranks.affinity_rank = 1
{% endfor %}
