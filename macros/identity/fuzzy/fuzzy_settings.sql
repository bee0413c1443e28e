{#
    var `cdp_identity_fuzzy`, checked: every number is a checked_number, every rule name a
    checked_identifier and every key one of fuzzy_blocking_keys (the error lists them), so no
    text of the var reaches SQL unvetted. Returns the settings with `rules` as
    [{name, order, keys, max_block_size (the rule's own, else the var's), excluded: comparisons
    the rule's keys bias}].
#}
{% macro fuzzy_settings() -%}
    {%- set fuzzy = var('cdp_identity_fuzzy') -%}
    {%- set what = 'var cdp_identity_fuzzy' -%}
    {%- set known_keys = fuzzy_blocking_keys() -%}
    {%- set comparisons = fuzzy_comparisons() | map(attribute='name') | list -%}
    {%- set max_block_size = checked_number(
        fuzzy.get('max_block_size'), what ~ '.max_block_size', integer=true, minimum=2) -%}
    {%- set rules = [] -%}
    {%- for rule in checked_list(fuzzy.get('blocking_rules'), what ~ '.blocking_rules') -%}
        {%- set where = what ~ '.blocking_rules[' ~ loop.index0 ~ ']' -%}
        {%- if rule is not mapping -%}
            {{ exceptions.raise_compiler_error(where ~ ': expected {name: ..., keys: [...]}') }}
        {%- endif -%}
        {%- set excluded = [] -%}
        {%- set keys = checked_list(rule.get('keys'), where ~ '.keys') -%}
        {%- for key in keys -%}
            {%- if key not in known_keys -%}
                {{ exceptions.raise_compiler_error(
                    where ~ '.keys: unknown key ' ~ shown_value(key) ~ '; known keys: '
                    ~ known_keys | sort | join(', ')) }}
            {%- endif -%}
            {%- do excluded.extend(known_keys[key]) -%}
        {%- endfor -%}
        {%- if not keys -%}
            {{ exceptions.raise_compiler_error(where ~ '.keys: at least one key') }}
        {%- endif -%}
        {%- do rules.append({
            'name': checked_identifier(rule.get('name'), where ~ '.name'),
            'order': loop.index, 'keys': keys, 'excluded': excluded | unique | list,
            'max_block_size': max_block_size if rule.get('max_block_size') is none
                else checked_number(rule.get('max_block_size'), where ~ '.max_block_size',
                                    integer=true, minimum=2)}) -%}
    {%- endfor -%}
    {%- set guard = checked_list(fuzzy.get('household_guard', []),
        what ~ '.household_guard') -%}
    {%- for name in guard if name not in comparisons -%}
        {{ exceptions.raise_compiler_error(
            what ~ '.household_guard: unknown comparison ' ~ shown_value(name)
            ~ '; comparisons: ' ~ comparisons | join(', ')) }}
    {%- endfor -%}
    {{ return({
        'enabled': fuzzy.get('enabled', true) is sameas true,
        'rules': rules,
        'guard': guard,
        'match_threshold': checked_number(
            fuzzy.get('match_threshold'), what ~ '.match_threshold', minimum=0),
        'u_sample_pairs': checked_number(
            fuzzy.get('u_sample_pairs'), what ~ '.u_sample_pairs', integer=true, minimum=1),
        'em_iterations': checked_number(
            fuzzy.get('em_iterations'), what ~ '.em_iterations', integer=true, minimum=1),
    }) }}
{%- endmacro %}
