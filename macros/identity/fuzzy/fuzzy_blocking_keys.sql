{#
    The keys a blocking rule may combine (var `cdp_identity_fuzzy.blocking_rules`): each is a
    column of int_identity__match_records and names the comparisons its agreement biases, which
    the EM of that rule's pairs leaves out (they agree by construction, so they say nothing
    about matching there). Only these names reach SQL: a var can choose keys, not write SQL.
#}
{% macro fuzzy_blocking_keys() -%}
    {{ return({
        'date_of_birth': ['date_of_birth'],
        'birth_year': ['date_of_birth'],
        'name_initials': ['first_name', 'last_name'],
        'first_name_key': ['first_name'],
        'last_name_key': ['last_name'],
        'postal_code': ['location'],
        'street_number': ['location'],
        'city': ['location'],
        'email_local': ['email'],
        'phone_tail': ['phone'],
    }) }}
{%- endmacro %}
