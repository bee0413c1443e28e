{#
    The text every match of the anchored regex `pattern` starts with (`'US|'` for
    `^US\|(?:1)?([0-9]{10})$`, `'+'` for `^\+([1-9][0-9]{7,14})$`), '' when there is none:
    the ASCII letters, digits and escaped punctuation after a leading `^` up to the first other
    character, less the last one when `?`, `*` or `{` follows it; '' for a pattern without a
    leading `^` or with a `|` outside groups and brackets (another branch may start otherwise).
    Compile-time only: a model can test `substring(x, 1, n) = prefix` before the regex, a cheap
    necessary condition, so rows run only the few regexes that can match.
#}
{% macro regexp_literal_prefix(pattern) -%}
    {%- set literal = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789' -%}
    {#- bracket: -1 outside a bracket expression, else how many members were read in it -#}
    {%- set ns = namespace(prefix='', done=false, escaped=false, depth=0, bracket=-1,
        negated=false, branch=false) -%}
    {%- for char in pattern[1:] -%}
        {%- if ns.bracket >= 0 -%}
            {%- if ns.escaped -%}
                {%- set ns.escaped = false -%}
                {%- set ns.bracket = ns.bracket + 1 -%}
            {%- elif char == '\\' -%}
                {%- set ns.escaped = true -%}
            {%- elif char == '^' and ns.bracket == 0 and not ns.negated -%}
                {%- set ns.negated = true -%}
            {%- elif char == ']' and ns.bracket > 0 -%}
                {%- set ns.bracket = -1 -%}
            {%- else -%}
                {%- set ns.bracket = ns.bracket + 1 -%}
            {%- endif -%}
        {%- elif ns.escaped -%}
            {%- if not ns.done and char in literal -%}
                {%- set ns.done = true -%}
            {%- elif not ns.done -%}
                {%- set ns.prefix = ns.prefix ~ char -%}
            {%- endif -%}
            {%- set ns.escaped = false -%}
        {%- elif char == '\\' -%}
            {%- set ns.escaped = true -%}
        {%- else -%}
            {%- if not ns.done and char in '?*{' -%}
                {%- set ns.prefix = ns.prefix[:-1] -%}
            {%- endif -%}
            {%- if not ns.done and char not in literal -%}
                {%- set ns.done = true -%}
            {%- elif not ns.done -%}
                {%- set ns.prefix = ns.prefix ~ char -%}
            {%- endif -%}
            {%- if char == '[' -%}
                {%- set ns.bracket = 0 -%}
                {%- set ns.negated = false -%}
            {%- endif -%}
            {%- set ns.depth = ns.depth + (1 if char == '(' else -1 if char == ')' else 0) -%}
            {%- set ns.branch = ns.branch or (char == '|' and ns.depth == 0) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(ns.prefix if pattern[:1] == '^' and not ns.branch else '') }}
{%- endmacro %}
