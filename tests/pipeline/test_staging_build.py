"""`dbt build` on generated data: rejects are exactly the injected defects, clean rows are right."""

from __future__ import annotations

import pytest

# raw table -> (staging model, staged email expression, staged phone expression)
STAGED = {
    "crm_contacts": ("stg_crm__contacts", "email_canonical",
                     "coalesce(phone_e164, mobile_phone_e164)"),
    "web_events": ("stg_web__events", "email_canonical", None),
    "app_events": ("stg_app__events", None, None),
    "shop_orders": ("stg_shop__orders", "email_canonical", "phone_e164"),
    "shop_order_items": ("stg_shop__order_items", None, None),
    "esp_email_events": ("stg_esp__email_events", "email_canonical", None),
    "helpdesk_tickets": ("stg_helpdesk__tickets", "email_canonical", "phone_e164"),
    "billing_subscriptions": ("stg_billing__subscriptions", "email_canonical", None),
    "consent_events": ("stg_consent__consent_events", "email_canonical", None),
}
IDENTIFIER_CASES = [
    (table, kind)
    for table, (_, email, phone) in STAGED.items()
    for kind, expr in (("email", email), ("phone", phone))
    if expr
]


@pytest.mark.parametrize("source_table", sorted(STAGED))
def test_rejects_are_exactly_the_malformed_rows_the_generator_injected(warehouse, source_table):
    where = f"source_table = '{source_table}'"
    injected = set(warehouse.rows(
        "select source_file, source_row, defect, defect_column from truth"
        f" where defect is not null and {where}"
    ))
    rejected = set(warehouse.rows(
        "select source_file, source_row, reject_reason, reject_column"
        f" from marts.fct_source_rejects where {where}"
    ))
    assert injected, f"the generator injected no malformed {source_table} rows"
    assert sorted(injected - rejected)[:10] == [], "injected defects that were not rejected"
    assert sorted(rejected - injected)[:10] == [], "clean rows that were rejected"


def test_every_reject_keeps_its_raw_record(warehouse):
    assert warehouse.rows(
        "select count(*) from marts.fct_source_rejects where raw_record is null"
    ) == [(0,)]


def test_every_line_of_every_file_is_accounted_for(warehouse):
    rows = warehouse.rows(
        "select source_table, lines_in_files, is_reconciled from marts.fct_source_reconciliation"
    )
    assert {table for table, _, _ in rows} == set(STAGED)
    truth_lines = dict(warehouse.rows("select source_table, count(*) from truth group by 1"))
    for table, lines, is_reconciled in rows:
        assert is_reconciled, table
        assert lines == truth_lines[table], table


@pytest.mark.parametrize("source_table", sorted(STAGED))
def test_staging_keeps_one_row_per_distinct_clean_record(warehouse, source_table):
    model = STAGED[source_table][0]
    [(expected,)] = warehouse.rows(
        f"select count(distinct record_id) from truth"
        f" where source_table = '{source_table}' and defect is null"
    )
    assert expected > 0
    assert warehouse.rows(f"select count(*) from staging.{model}") == [(expected,)]


@pytest.mark.parametrize(("source_table", "kind"), IDENTIFIER_CASES)
def test_cleaned_identifiers_equal_the_true_ones(warehouse, source_table, kind):
    model, email_expr, phone_expr = STAGED[source_table]
    staged_expr, truth_column = (
        (email_expr, "true_email") if kind == "email" else (phone_expr, "true_phone")
    )
    checked, wrong = warehouse.rows(
        f"""
        select count(*), count(*) filter (where staged is distinct from expected)
        from (
            select {staged_expr} as staged, truth.{truth_column} as expected
            from staging.{model} as model
            inner join truth
                on truth.source_table = '{source_table}'
                and truth.source_file = model.source_file
                and truth.source_row = model.source_row
            where truth.{truth_column} is not null
        )
        """
    )[0]
    assert checked > 0
    assert wrong == 0, f"{wrong} of {checked} {kind}s differ from the truth"
