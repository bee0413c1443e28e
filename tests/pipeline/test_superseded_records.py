"""A person known only from a superseded record still gets a timeline.

Scenario: a few guest-checkout orders (email only: no account, loyalty card or phone) were
exported with a mistyped email, and a later export (`shop/orders_<date>.csv`, newer
`updated_at`) corrects it. Identity reads every clean version, so the mistyped address is a
person of its own; staging keeps only the corrected version, so that person has no current
record. Before the fix they had no activity, a null `first_seen_at` and a null acquisition
cohort, and `not_null_fct_clv_by_acquisition_acquisition_cohort_month` failed (holding back
every sync).
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta

import duckdb
import pytest

from cdp.build import build_project
from cdp.generate import generate_sources
from cdp.identity.explain import canonical_email
from cdp.load import load_raw

PERSONS = 150
SEED = 7
CORRECTED = 3
BAD_STATUSES = {"error", "fail", "runtime error", "skipped"}


def _guest_orders(raw_dir, count: int) -> list[tuple[int, dict[str, str]]]:
    """(data row number, row) of the first `count` clean guest sales identified by email only,
    each exported once."""
    truth = duckdb.sql(
        f"select source_row from read_parquet('{raw_dir / '_truth' / 'records.parquet'}')"
        " where source_file = 'shop/orders.csv' and defect is null and not is_duplicate"
    ).fetchall()
    clean = {row for (row,) in truth}
    with open(raw_dir / "shop" / "orders.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    exported = {}
    for row in rows:
        exported[row["order_id"]] = exported.get(row["order_id"], 0) + 1
    picked = []
    for number, row in enumerate(rows, start=1):
        if number not in clean or None in row or None in row.values():
            continue  # a malformed line (wrong number of fields)
        email = row["customer_email"].strip()
        if (row["order_type"] == "sale" and exported[row["order_id"]] == 1
                and not any(row[c].strip() for c in ("account_id", "loyalty_id", "customer_phone"))
                and email.count("@") == 1 and " " not in email and email.endswith(".com")):
            picked.append((number, row))
    assert len(picked) >= count, "the generated data has too few guest orders"
    return picked[:count]


def _typo(email: str) -> str:
    local, domain = email.split("@")
    return f"{local}@{domain[:-4]}-typo.com"  # anthony@gmail.com -> anthony@gmail-typo.com


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("superseded")
    raw_dir, db = root / "raw", root / "cdp.duckdb"
    generate_sources(raw_dir, PERSONS, seed=SEED, show_progress=False)
    orders_path = raw_dir / "shop" / "orders.csv"
    picked = _guest_orders(raw_dir, CORRECTED)

    # The first export carries the mistyped address; a later one corrects it.
    lines = orders_path.read_text().splitlines(keepends=True)
    for number, row in picked:
        email = row["customer_email"].strip()
        assert lines[number].count(email) == 1
        lines[number] = lines[number].replace(email, _typo(email))
    orders_path.write_text("".join(lines))
    with open(raw_dir / "shop" / "orders_2026-11-02.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(picked[0][1]))
        writer.writeheader()
        for _, row in picked:
            updated = datetime.fromisoformat(row["updated_at"]) + timedelta(days=30)
            writer.writerow({**row, "customer_email": row["customer_email"].strip(),
                             "updated_at": updated.isoformat()})

    load_raw(raw_dir, db)
    nodes = build_project(["--exclude-resource-type", "unit_test", "--target-path",
                           str(root / "target"), "--log-path", str(root / "logs")],
                          duckdb_path=db, check=False)
    bad = sorted(f"{r.node.unique_id}: {r.status} {r.message or ''}".strip()
                 for r in nodes if str(r.status) in BAD_STATUSES)
    return db, picked, bad


def _rows(db, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_the_build_passes_with_corrected_orders(built):
    _, _, bad = built
    assert bad == []


def test_every_customer_has_a_first_seen_time_and_cohort(built):
    db, _, _ = built
    assert _rows(db, """
        select count(*), count(first_seen_at), count(acquisition_cohort_month)
        from marts.dim_customers
    """) == _rows(db, "select count(*), count(*), count(*) from marts.dim_customers")


def test_a_person_known_only_from_a_superseded_order_is_dated_by_it(built):
    db, picked, _ = built
    for _, row in picked:
        typo, email = _typo(row["customer_email"].strip()), row["customer_email"].strip()
        ordered_at = datetime.fromisoformat(row["ordered_at"])
        ordered_at_utc = (ordered_at - ordered_at.utcoffset()).replace(tzinfo=None)
        rows = _rows(db, """
            select dim.person_id, dim.first_seen_at, dim.last_active_at, dim.orders,
                   dim.acquisition_channel,
                   bool_and(activities.is_superseded_version),
                   bool_or(activities.is_person_initiated)
            from marts.dim_identity_identifiers as ids
            inner join marts.dim_customers as dim on ids.person_id = dim.person_id
            inner join intermediate.int_customers__activities as activities
                on dim.person_id = activities.person_id
            where ids.id_type = 'email' and ids.id_value = ?
            group by all
        """, [canonical_email(typo)])
        assert len(rows) == 1, f"{typo}: expected one person known only from the old version"
        person, first_seen, last_active, orders, channel, superseded, initiated = rows[0]
        # Its timeline is the superseded order: dated and acquired by it, never "active".
        assert (first_seen, superseded, initiated) == (ordered_at_utc, True, False)
        assert last_active is None and (orders or 0) == 0
        # Acquired through the order's channel (an untagged web order counts as direct).
        assert channel == {"web": "direct"}.get(row["channel"], row["channel"])

        # The order itself (current version) belongs to the person of the corrected email.
        [(owner,)] = _rows(db, "select person_id from intermediate.int_customers__orders"
                               " where order_id = ?", [row["order_id"]])
        assert owner != person
        assert _rows(db, "select count(*) from marts.dim_identity_identifiers"
                         " where person_id = ? and id_type = 'email' and id_value = ?",
                     [owner, canonical_email(email)]) == [(1,)]
