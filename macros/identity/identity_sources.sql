{#
    The sources identity resolution and the golden record read: var `cdp_identity_sources`,
    checked and normalised (see dbt_project.yml for the declaration). Returns a list, in
    declaration order, of dicts with `source_table`, `base_model`, `stg_model` (none without
    attributes), `observed_at` (SQL over the models' columns), `identifiers` ([id_type, column]
    pairs) and `attributes` (golden-record field -> `columns`, {output column: SQL}, and
    `present`, the condition that the record holds a value for it). Every name is a
    checked identifier, every identifier type must be in var `cdp_identity_types`, and unknown
    keys are refused: a typo is a compiler error naming the key, never a silently ignored
    identifier. Model names only reach `ref()`, columns only reach SQL as checked identifiers.
#}
{% macro identity_sources() -%}
    {%- set declared = var('cdp_identity_sources') -%}
    {%- if declared is not mapping or not declared -%}
        {{ exceptions.raise_compiler_error(
            "var cdp_identity_sources: expected a mapping of source table names to declarations"
            ~ " (base_model, observed_at, identifiers, attributes), got "
            ~ shown_value(declared)) }}
    {%- endif -%}
    {%- set known_types = identity_types() -%}
    {%- set attribute_parts = {
        'name': ['first_name', 'last_name', 'full_name'],
        'email': none,
        'phone': none,
        'address': ['address_line1', 'address_line2', 'city', 'region', 'postal_code',
                    'country_code'],
        'date_of_birth': none,
    } -%}
    {%- set sources = [] -%}
    {%- for source_table, spec in declared.items() -%}
        {%- set source_table = checked_identifier(source_table, 'var cdp_identity_sources key') -%}
        {%- set what = 'var cdp_identity_sources.' ~ source_table -%}
        {%- if spec is not mapping -%}
            {{ exceptions.raise_compiler_error(
                what ~ ": expected a mapping (base_model, observed_at, identifiers,"
                ~ " attributes), got " ~ shown_value(spec)) }}
        {%- endif -%}
        {%- for key in spec -%}
            {%- if key not in ['base_model', 'stg_model', 'observed_at', 'identifiers',
                               'attributes'] -%}
                {{ exceptions.raise_compiler_error(
                    what ~ ": unknown key " ~ shown_value(key) ~ " (use base_model, stg_model,"
                    ~ " observed_at, identifiers, attributes)") }}
            {%- endif -%}
        {%- endfor -%}
        {%- for key in ['base_model', 'observed_at', 'identifiers'] -%}
            {%- if spec.get(key) is none -%}
                {{ exceptions.raise_compiler_error(what ~ ": " ~ key ~ " is required") }}
            {%- endif -%}
        {%- endfor -%}

        {#- observed_at: a column, or a list of columns read as their first non-null value -#}
        {%- set observed = spec['observed_at'] -%}
        {%- set observed = [observed] if observed is string else checked_list(
            observed, what ~ '.observed_at') -%}
        {%- set observed_columns = [] -%}
        {%- for column in observed -%}
            {%- do observed_columns.append(checked_identifier(
                column, what ~ '.observed_at' ~ ('[' ~ loop.index0 ~ ']'
                    if observed | length > 1 else ''))) -%}
        {%- endfor -%}
        {%- if not observed_columns -%}
            {{ exceptions.raise_compiler_error(what ~ ".observed_at: name at least one column") }}
        {%- endif -%}

        {#- identifiers: {id_type: column or [columns]} -#}
        {%- if spec['identifiers'] is not mapping or not spec['identifiers'] -%}
            {{ exceptions.raise_compiler_error(
                what ~ ".identifiers: expected a mapping of identifier types to columns"
                ~ " ({email: email, phone: [phone_e164, mobile_phone_e164]}), got "
                ~ shown_value(spec['identifiers'])) }}
        {%- endif -%}
        {%- set identifiers = [] -%}
        {%- for id_type, columns in spec['identifiers'].items() -%}
            {%- set id_type = checked_identifier(id_type, what ~ '.identifiers key') -%}
            {%- if id_type not in known_types -%}
                {{ exceptions.raise_compiler_error(
                    what ~ ".identifiers: identifier type " ~ shown_value(id_type)
                    ~ " is not in var cdp_identity_types; add it there (most trusted first)") }}
            {%- endif -%}
            {%- set columns = [columns] if columns is string else checked_list(
                columns, what ~ '.identifiers.' ~ id_type) -%}
            {%- for column in columns -%}
                {%- do identifiers.append([id_type, checked_identifier(
                    column, what ~ '.identifiers.' ~ id_type)]) -%}
            {%- endfor -%}
        {%- endfor -%}

        {#- attributes: what the source offers the golden record -#}
        {%- set attributes = {} -%}
        {%- set declared_attributes = spec.get('attributes') or {} -%}
        {%- if declared_attributes is not mapping -%}
            {{ exceptions.raise_compiler_error(
                what ~ ".attributes: expected a mapping (name, email, phone, address,"
                ~ " date_of_birth), got " ~ shown_value(declared_attributes)) }}
        {%- endif -%}
        {%- for attribute, value in declared_attributes.items() -%}
            {%- set where = what ~ '.attributes.' ~ attribute -%}
            {%- if attribute not in attribute_parts -%}
                {{ exceptions.raise_compiler_error(
                    what ~ ".attributes: unknown attribute " ~ shown_value(attribute)
                    ~ " (use name, email, phone, address, date_of_birth)") }}
            {%- endif -%}
            {%- set parts = attribute_parts[attribute] -%}
            {%- if parts is none -%}
                {#- one value: a column, or columns read as their first non-null value -#}
                {%- set columns = [] -%}
                {%- for column in ([value] if value is string else checked_list(value, where)) -%}
                    {%- do columns.append(checked_identifier(column, where)) -%}
                {%- endfor -%}
                {%- if not columns or (attribute != 'phone' and columns | length > 1) -%}
                    {{ exceptions.raise_compiler_error(
                        where ~ ": expected a column" ~ (" or a list of columns (the first"
                        ~ " holding a value wins)" if attribute == 'phone' else "")
                        ~ ", got " ~ shown_value(value)) }}
                {%- endif -%}
                {%- do attributes.update({attribute: {
                    'columns': {attribute: columns[0] if columns | length == 1
                        else 'coalesce(' ~ columns | join(', ') ~ ')'},
                    'present': columns | join(' is not null or ') ~ ' is not null',
                }}) -%}
            {%- else -%}
                {#- several parts from one record: {part: column} -#}
                {%- if value is not mapping or not value -%}
                    {{ exceptions.raise_compiler_error(
                        where ~ ": expected a mapping of " ~ parts | join(', ')
                        ~ " to columns, got " ~ shown_value(value)) }}
                {%- endif -%}
                {%- set columns = {} -%}
                {%- for part, column in value.items() -%}
                    {%- if part not in parts -%}
                        {{ exceptions.raise_compiler_error(
                            where ~ ": unknown part " ~ shown_value(part) ~ " (use "
                            ~ parts | join(', ') ~ ")") }}
                    {%- endif -%}
                    {%- do columns.update(
                        {part: checked_identifier(column, where ~ '.' ~ part)}) -%}
                {%- endfor -%}
                {%- set present = columns.values() | list | join(' is not null or ')
                    ~ ' is not null' -%}
                {%- if attribute == 'name' and 'full_name' in columns -%}
                    {%- if columns | length > 1 -%}
                        {{ exceptions.raise_compiler_error(
                            where ~ ": give full_name or first_name/last_name, not both") }}
                    {%- endif -%}
                    {#- split at the first space: "Ann Mary Smith" -> Ann, Mary Smith -#}
                    {%- set full_name = 'trim(' ~ columns['full_name'] ~ ')' -%}
                    {%- set first_word = 'split_part(' ~ full_name ~ ", ' ', 1)" -%}
                    {%- do attributes.update({attribute: {'present': present, 'columns': {
                        'first_name': first_word,
                        'last_name': 'nullif(trim(substring(' ~ full_name ~ ', length('
                            ~ first_word ~ ") + 1)), '')",
                    }}}) -%}
                {%- else -%}
                    {%- set outputs = {} -%}
                    {%- for part in parts if part != 'full_name' -%}
                        {%- do outputs.update({part: columns.get(
                            part, 'cast(null as ' ~ dbt.type_string() ~ ')')}) -%}
                    {%- endfor -%}
                    {%- do attributes.update(
                        {attribute: {'columns': outputs, 'present': present}}) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}

        {%- set stg_model = spec.get('stg_model') -%}
        {%- if stg_model is not none -%}
            {%- set stg_model = checked_identifier(stg_model, what ~ '.stg_model') -%}
        {%- elif attributes -%}
            {{ exceptions.raise_compiler_error(
                what ~ ": stg_model is required with attributes (the de-duplicated model the"
                ~ " golden record reads them from)") }}
        {%- endif -%}

        {%- do sources.append({
            'source_table': source_table,
            'base_model': checked_identifier(spec['base_model'], what ~ '.base_model'),
            'stg_model': stg_model,
            'observed_at': observed_columns[0] if observed_columns | length == 1
                else 'coalesce(' ~ observed_columns | join(', ') ~ ')',
            'identifiers': identifiers,
            'attributes': attributes,
        }) -%}
    {%- endfor -%}
    {{ return(sources) }}
{%- endmacro %}
