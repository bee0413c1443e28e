{# The fingerprint a run stamps, read back from the compiled SQL (for the pre-hook). #}
{% macro current_code_fingerprint() -%}
    {%- set found = modules.re.findall("'([0-9a-f]{16})' as code_fingerprint",
                                        model.compiled_code or '') -%}
    {%- if found | length != 1 -%}
        {{ exceptions.raise_compiler_error(model.name ~ ': an incremental model whose pre-hook'
            ~ ' reads the code fingerprint wraps its query in with_code_fingerprint()') }}
    {%- endif -%}
    {{ return(found[0]) }}
{%- endmacro %}
