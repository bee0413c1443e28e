{#
    A condition keeping the rows of `relation` (a CTE of a base model) that carry no
    suppressed identifier: the rows of forgotten persons never leave staging's first model.
    `source_table` names the declaration of var `cdp_identity_sources` whose identifier
    columns are hashed in their matching form (`identity_value`), as `cdp.privacy` hashed the
    ID graph's identifiers. With nothing suppressed (the usual case) it is `true` and costs
    nothing; a missing declaration is a compiler error, never an unfiltered source.
#}
{% macro erasure_filter(source_table, relation) -%}
    {%- set suppressions = ref('stg_privacy__suppressions') -%}
    {%- set salts = ref('stg_privacy__salt') -%}
    {%- set declared = [] -%}
    {%- for source in identity_sources() if source.source_table == source_table -%}
        {%- do declared.append(source) -%}
    {%- endfor -%}
    {%- if not declared -%}
        {{ exceptions.raise_compiler_error(
            "erasure_filter: " ~ shown_value(source_table)
            ~ " is not a source of var cdp_identity_sources") }}
    {%- endif -%}
    {%- if execute -%}
        {%- set found = adapter.get_relation(suppressions.database, suppressions.schema,
                                             suppressions.identifier) -%}
        {%- set count = run_query('select count(*) from ' ~ suppressions).columns[0].values()[0]
            if found is not none else 0 -%}
    {%- else -%}
        {%- set count = 0 -%}
    {%- endif -%}
    {%- if count == 0 -%}
        true
    {%- else -%}
        source_record_key not in (
            {%- for id_type, column in declared[0].identifiers %}
            select erased.source_record_key
            from {{ relation }} as erased
            cross join {{ salts }} as privacy_salt
            inner join {{ suppressions }} as suppressed
                on
                    suppressed.id_type = {{ string_literal(id_type) }}
                    and suppressed.identifier_hash = {{ erasure_hash(
                        'privacy_salt.salt', id_type,
                        identity_value(id_type, 'erased.' ~ column)) }}
            {{- '\n            union all' if not loop.last }}
            {%- endfor %}
        )
    {%- endif -%}
{%- endmacro %}
