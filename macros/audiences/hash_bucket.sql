{#
    A person's bucket in [0, buckets) for experiment and holdout assignment: the first 32 bits
    of md5(`expr`) modulo `buckets`. md5 is the one hash every engine (and Python's hashlib)
    computes identically, so a person lands in the same arm on DuckDB, PostgreSQL and Spark
    and in `cdp audiences preview`; the salt in `expr` makes each audience's split independent.
#}
{% macro hash_bucket(expr, buckets=10000) -%}
    {{ return(adapter.dispatch('hash_bucket', 'cdp')(expr, buckets)) }}
{%- endmacro %}

{# PostgreSQL: hex -> bit string -> bigint (zero-padded to 64 bits so it stays positive). #}
{% macro default__hash_bucket(expr, buckets) -%}
    (cast(cast('x' || lpad(substr(md5({{ expr }}), 1, 8), 16, '0') as bit(64)) as bigint)
        % {{ buckets }})
{%- endmacro %}

{% macro duckdb__hash_bucket(expr, buckets) -%}
    (cast('0x' || substr(md5({{ expr }}), 1, 8) as bigint) % {{ buckets }})
{%- endmacro %}

{% macro spark__hash_bucket(expr, buckets) -%}
    pmod(cast(conv(substr(md5({{ expr }}), 1, 8), 16, 10) as bigint), {{ buckets }})
{%- endmacro %}
