{#
    Name case: whitespace collapsed, each word lower-cased with its first letter upper-cased,
    where a word starts the text or follows a space, hyphen or apostrophe:
    `o'BRIEN  mary-jane` -> `O'Brien Mary-Jane`. For names, cities and street lines.
#}
{% macro proper_case(expr) -%}
    {{ return(adapter.dispatch('proper_case', 'cdp')(expr)) }}
{%- endmacro %}

{# Best effort: initcap also capitalises after other punctuation (`a.b` -> `A.B`). #}
{% macro default__proper_case(expr) -%}
    initcap(trim({{ regexp_replace_all(expr, '\\s+', ' ') }}))
{%- endmacro %}

{# DuckDB has no initcap: split into words and separators, capitalise each piece, rejoin. #}
{% macro duckdb__proper_case(expr) -%}
    {%- set text = 'lower(trim(' ~ regexp_replace_all(expr, '\\s+', ' ') ~ '))' -%}
    array_to_string(
        list_transform(
            regexp_extract_all({{ text }}, '[^ ''’-]+|[ ''’-]'),
            lambda piece: upper(piece[1]) || piece[2:]
        ),
        ''
    )
{%- endmacro %}

{#
    PostgreSQL's initcap also capitalises after `/`, `.` and digits (`C/o` -> `C/O`): words and
    separators are split as on DuckDB and rejoined in order (a scalar subquery per value).
#}
{% macro postgres__proper_case(expr) -%}
    {%- set text = 'lower(trim(' ~ regexp_replace_all(expr, '\\s+', ' ') ~ '))' -%}
    case
        when {{ expr }} is not null then coalesce((
            select string_agg(upper(left(piece[1], 1)) || substr(piece[1], 2), '' order by n)
            from regexp_matches({{ text }}, '[^ ''’-]+|[ ''’-]', 'g')
                with ordinality as pieces (piece, n)
        ), '')
    end
{%- endmacro %}

{# Spark's initcap lower-cases after hyphens and apostrophes: DuckDB's word split instead. #}
{% macro spark__proper_case(expr) -%}
    {%- set text = 'lower(trim(' ~ regexp_replace_all(expr, '\\s+', ' ') ~ '))' -%}
    array_join(
        transform(
            regexp_extract_all({{ text }}, {{ string_literal("[^ '’-]+|[ '’-]") }}, 0),
            piece -> concat(upper(substr(piece, 1, 1)), substr(piece, 2))
        ),
        ''
    )
{%- endmacro %}
