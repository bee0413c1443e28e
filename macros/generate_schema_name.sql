{#
    Environments on one warehouse. prod (env var CDP_ENVIRONMENT unset or `prod`) uses the
    folder's schema as is (`staging`, `marts`, ...): the layout BI tools and the reverse-ETL
    layer address. Any other environment (`dev`, `ci`, ...) builds into
    `<target schema>_<folder schema>` (CDP_SCHEMA=dbt_alice: `dbt_alice_marts`), so a dev or CI
    build never writes a prod schema. An env var, not a dbt var: the steps outside dbt (loader,
    CLV step, syncs, reports) read the same two inputs through cdp/warehouse/schemas.py, which
    applies this rule to `raw`, `clv` and `cdp_sync` too; the sources' `schema:` spell it out
    (yml cannot call macros). tests/dbt/test_schema_names.py keeps all three in agreement.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set environment = env_var('CDP_ENVIRONMENT', 'prod') -%}
    {%- set identifier = '[a-z][a-z0-9_]*' -%}
    {%- if not modules.re.fullmatch(identifier, environment) -%}
        {{ exceptions.raise_compiler_error(
            "CDP_ENVIRONMENT='" ~ environment ~ "' is not an environment name"
            ~ " (lower-case letters, digits, _; e.g. prod, dev, ci)") }}
    {%- endif -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif environment == 'prod' -%}
        {{ custom_schema_name | trim }}
    {%- else -%}
        {#- Names go into SQL unquoted; a `cdp` prefix would make the sync folder `cdp_sync`. -#}
        {%- if not modules.re.fullmatch(identifier, target.schema) or target.schema == 'cdp' -%}
            {{ exceptions.raise_compiler_error(
                "CDP_ENVIRONMENT=" ~ environment ~ " builds into `<target schema>_<schema>`,"
                ~ " and target '" ~ target.name ~ "' has schema '" ~ target.schema ~ "': set"
                ~ " CDP_SCHEMA to a lower-case name of your own (e.g. dbt_alice; not cdp)") }}
        {%- endif -%}
        {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
