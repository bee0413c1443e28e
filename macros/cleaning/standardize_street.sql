{#
    Street line in proper case (proper_case) with the common suffix words abbreviated the way
    USPS and Royal Mail print them (`12 baker STREET` -> `12 Baker St`), so the same address
    typed two ways compares equal.
#}
{% macro standardize_street(expr) -%}
    {%- set abbreviations = {
        'Street': 'St', 'Road': 'Rd', 'Avenue': 'Ave', 'Boulevard': 'Blvd',
        'Drive': 'Dr', 'Lane': 'Ln', 'Court': 'Ct', 'Place': 'Pl',
    } -%}
    {%- set ns = namespace(sql=proper_case(expr)) -%}
    {%- for word, abbreviation in abbreviations.items() -%}
        {%- set ns.sql = regexp_replace_all(
            ns.sql, '(^|[^A-Za-z])' ~ word ~ '([^A-Za-z]|$)', '\\1' ~ abbreviation ~ '\\2'
        ) -%}
    {%- endfor -%}
    {{ ns.sql }}
{%- endmacro %}
