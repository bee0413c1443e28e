{#
    Readers of the fields a base model takes from one JSON document: `text` and `type` map each
    dotted path of `text_paths` / `type_paths` to the expression giving what json_text /
    json_type give for it.

    {%- set web = json_reader('json_doc', ['type', 'context.page.url']) -%}
    ... {{ web.text['context.page.url'] }} as page_url

    DuckDB parses the text once per row for all of them (one list-path extraction, indexed per
    field; DuckDB computes the repeated extraction once), instead of once per field: the JSON
    base models are the build's heaviest nodes. Elsewhere each field is json_text/json_type.
#}
{% macro json_reader(document, text_paths, type_paths=[]) -%}
    {{ return(adapter.dispatch('json_reader', 'cdp')(document, text_paths, type_paths)) }}
{%- endmacro %}

{% macro default__json_reader(document, text_paths, type_paths) -%}
    {%- set reader = {'text': {}, 'type': {}} -%}
    {%- for path in text_paths -%}
        {%- do reader.text.update({path: json_text(document, path.split('.'))}) -%}
    {%- endfor -%}
    {%- for path in type_paths -%}
        {%- do reader.type.update({path: json_type(document, path.split('.'))}) -%}
    {%- endfor -%}
    {{ return(reader) }}
{%- endmacro %}

{% macro duckdb__json_reader(document, text_paths, type_paths) -%}
    {%- set reader = {'text': {}, 'type': {}} -%}
    {%- for kind, paths, function in [('text', text_paths, 'json_extract_string'),
                                      ('type', type_paths, 'json_type')] if paths -%}
        {%- set literals = [] -%}
        {%- for path in paths -%}{%- do literals.append(json_path(path.split('.'))) -%}{%- endfor -%}
        {%- set values = '(case when json_valid(' ~ document ~ ') then ' ~ function ~ '('
            ~ document ~ ', [' ~ literals | join(', ') ~ ']) end)' -%}
        {%- for path in paths -%}
            {%- set value = values ~ '[' ~ loop.index ~ ']' -%}
            {%- do reader[kind].update({path:
                value if kind == 'text' else duckdb_json_type_name(value)}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(reader) }}
{%- endmacro %}
