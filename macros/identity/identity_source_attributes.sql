{#
    Union of the candidate values for golden-record field `attribute` (name, email, phone,
    address, date_of_birth) from every source that declares it in var `cdp_identity_sources`:
    one row per de-duplicated record (`stg_model`) carrying a value, with `source_table`,
    `source_record_key`, `observed_at` and the field's columns (first_name + last_name; email;
    phone; the address parts; date_of_birth). With no source declaring the field it is an
    empty, typed relation, so the golden record simply has no value for it.
#}
{% macro identity_source_attributes(attribute) -%}
    {%- set columns = {
        'name': {'first_name': dbt.type_string(), 'last_name': dbt.type_string()},
        'email': {'email': dbt.type_string()},
        'phone': {'phone': dbt.type_string()},
        'address': {'address_line1': dbt.type_string(), 'address_line2': dbt.type_string(),
                    'city': dbt.type_string(), 'region': dbt.type_string(),
                    'postal_code': dbt.type_string(), 'country_code': dbt.type_string()},
        'date_of_birth': {'date_of_birth': 'date'},
    }[attribute] -%}
    {%- set offering = [] -%}
    {%- for source in identity_sources() if attribute in source.attributes -%}
        {%- do offering.append(source) -%}
    {%- endfor -%}
    {%- for source in offering %}
    select
        {{ string_literal(source.source_table) }} as source_table,
        source_record_key,
        {{ source.observed_at }} as observed_at,
        {%- for column in columns %}
        {{ source.attributes[attribute].columns[column] }} as {{ column }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from {{ ref(source.stg_model) }}
    where {{ source.attributes[attribute].present }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as source_table,
        cast(null as {{ dbt.type_string() }}) as source_record_key,
        cast(null as {{ dbt.type_timestamp() }}) as observed_at,
        {%- for column, data_type in columns.items() %}
        cast(null as {{ data_type }}) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    where false
    {%- endfor %}
{%- endmacro %}
