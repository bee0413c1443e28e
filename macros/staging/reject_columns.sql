{#
    Turns an ordered list of data-quality checks into the two columns every base model carries:
    `reject_reason` (the code of the first failing check, null when the row is clean) and
    `reject_column` (the raw field that failed). One list drives both, so they never disagree.

    checks: list of [reason_code, column_name_or_none, sql_condition_that_is_true_when_bad]
#}
{% macro reject_columns(checks) -%}
    case
        {%- for reason, column, condition in checks %}
        when {{ condition }} then '{{ reason }}'
        {%- endfor %}
    end as reject_reason,
    case
        {%- for reason, column, condition in checks %}
        when {{ condition }} then {{ "'" ~ column ~ "'" if column else "null" }}
        {%- endfor %}
    end as reject_column
{%- endmacro %}
