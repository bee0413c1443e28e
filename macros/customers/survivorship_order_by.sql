{#
    The `order by` list that ranks a golden-record field's candidate values best first, from
    the field's rules in `cdp_survivorship` (see dbt_project.yml). Candidates must carry
    `source_table`, `observed_at`, `value_frequency`, `completeness` and `match_key`; the last
    keys make the pick deterministic on any engine when every rule ties. Source names are
    quoted with `string_literal`, never pasted between quotes.
#}
{% macro survivorship_order_by(field) -%}
    {%- set config = var('cdp_survivorship') -%}
    {%- set field_config = config['fields'].get(field) -%}
    {%- if field_config is none -%}
        {{ exceptions.raise_compiler_error(
            "cdp_survivorship has no rules for field '" ~ field ~ "'") }}
    {%- endif -%}
    {%- set trust = field_config.get('source_trust', config['source_trust']) -%}
    {%- set terms = [] -%}
    {%- for rule in field_config['rules'] -%}
        {%- if rule == 'source_trust' -%}
            {%- set whens = [] -%}
            {%- for source in checked_list(trust, "var cdp_survivorship source_trust of '"
                ~ field ~ "'") -%}
                {%- do whens.append('when ' ~ string_literal(source) ~ ' then ' ~ loop.index) -%}
            {%- endfor -%}
            {%- do terms.append('case source_table ' ~ whens | join(' ') ~ ' else '
                ~ (trust | length + 1) ~ ' end asc') -%}
        {%- elif rule == 'most_recent' -%}
            {%- do terms.append('observed_at desc nulls last') -%}
        {%- elif rule == 'earliest' -%}
            {%- do terms.append('observed_at asc nulls last') -%}
        {%- elif rule == 'most_frequent' -%}
            {%- do terms.append('value_frequency desc') -%}
        {%- elif rule == 'most_complete' -%}
            {%- do terms.append('completeness desc') -%}
        {%- else -%}
            {{ exceptions.raise_compiler_error(
                "cdp_survivorship field '" ~ field ~ "': unknown rule '" ~ rule
                ~ "' (use source_trust, most_recent, earliest, most_frequent, most_complete)") }}
        {%- endif -%}
    {%- endfor -%}
    {%- do terms.extend(['observed_at desc nulls last', 'match_key asc',
                         'source_record_key asc']) -%}
    {{ terms | join(', ') }}
{%- endmacro %}
