"""Rejects that must not go unnoticed.

- A source losing most of its rows to one reason is a loud signal, not a quiet warning
  among hundreds of passing tests: orders dated 1995 (a copy of generated orders shifted 28
  years back, which keeps weekdays and leap days) are all `invalid_timestamp` under the
  default `cdp_valid_timestamp_range`; the build still passes, its warn-severity test on
  `fct_source_reject_reasons` warns, and the `cdp run` summary prints a warning naming the
  source, the reason, the share and the var to change. Widening the var clears it.
- A JSON object or array where a base model reads a scalar is a `nested_value` reject with
  the field, never an identifier (`"userId": {"id": 123}` used to become the user id
  `{"id":123}` and enter identity resolution).

Only what these checks read is built (staging, the data-quality marts and the identity
observations).
"""

from __future__ import annotations

import json
import re

import duckdb
import pytest
from rich.console import Console

from cdp.dbt import run_dbt
from cdp.generate import generate_sources
from cdp.load import load_raw
from cdp.summary import mass_rejection_warnings, print_pipeline_summary

PERSONS = 150
SEED = 7
SELECT = ["--select", "+fct_source_reject_reasons", "+int_identity__observations"]
WARN_TEST = "no_source_loses_more_than_cdp_mass_reject_threshold_to_one_reject_reason"

_WEB = {"type": "page", "timestamp": "2026-10-01T10:00:00.000Z",
        "receivedAt": "2026-10-01T10:00:01.000Z"}
# (file, JSON line, expected (reject_reason, reject_column) or None when the row is clean)
NESTED_LINES = [
    ("web/events_nested.jsonl",
     {**_WEB, "messageId": "nested-web-1", "anonymousId": "cookie-nested-1",
      "userId": {"id": 123}},
     ("nested_value", "userId")),
    ("web/events_nested.jsonl",
     {**_WEB, "messageId": "nested-web-2", "anonymousId": ["cookie-nested-2"]},
     ("nested_value", "anonymousId")),
    ("web/events_nested.jsonl",
     {**_WEB, "messageId": "nested-web-3", "anonymousId": "cookie-nested-3",
      "traits": {"email": {"address": "nested@streamly-mail.com"}}},
     ("nested_value", "traits.email")),
    # Text that merely looks like JSON is a string: the row is clean.
    ("web/events_nested.jsonl",
     {**_WEB, "messageId": "nested-web-4", "anonymousId": "cookie-nested-4",
      "context": {"page": {"title": "[Sale] {up to 50%}", "url": "https://x.example/"}}},
     None),
    ("app/events_nested.jsonl",
     {"event_id": "nested-app-1", "event_name": "login", "device_id": "device-nested-1",
      "platform": "ios", "user_id": {"id": 123}, "event_ts": 1790000000000},
     ("nested_value", "user_id")),
    ("app/events_nested.jsonl",
     {"event_id": "nested-app-2", "event_name": "content_played",
      "device_id": "device-nested-2", "platform": "ios", "event_ts": 1790000000000,
      "properties": {"genre": ["drama", "crime"]}},
     ("nested_value", "properties.genre")),
    ("consent/consent_events_nested.jsonl",
     {"consent_id": "nested-consent-1", "subject": {"email": {"value": "a@streamly-mail.com"}},
      "purpose": "marketing", "channel": "email", "status": "granted",
      "occurred_at": "2026-10-01T10:00:00Z", "source": "web_banner"},
     ("nested_value", "subject.email")),
]


def _shift_years(text: str, years: int) -> str:
    """Every `YYYY-MM-DDT` timestamp in `text` moved `years` back."""
    return re.sub(r"\b(20\d\d)(-\d\d-\d\dT)",
                  lambda m: f"{int(m.group(1)) - years}{m.group(2)}", text)


@pytest.fixture(scope="module")
def warehouse_1995(tmp_path_factory):
    root = tmp_path_factory.mktemp("rejects_signal")
    raw_dir, db = root / "raw", root / "cdp.duckdb"
    generate_sources(raw_dir, PERSONS, seed=SEED, show_progress=False)
    orders = raw_dir / "shop" / "orders.csv"
    orders.write_text(_shift_years(orders.read_text(), 28))
    for name, document, _ in NESTED_LINES:
        with open(raw_dir / name, "a") as f:
            f.write(json.dumps(document) + "\n")
    load_raw(raw_dir, db)
    dbt_paths = ["--target-path", str(root / "target"), "--log-path", str(root / "logs")]
    result = run_dbt(["build", *SELECT, *dbt_paths], duckdb_path=db, check=False)
    return root, db, result, dbt_paths


def _rows(db, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_1995_orders_are_rejected_and_the_build_warns_without_failing(warehouse_1995):
    _, db, result, _ = warehouse_1995
    statuses = {r.node.name: str(r.status) for r in result.result.results}
    assert result.success, [n for n, s in statuses.items() if s not in ("pass", "success",
                                                                         "warn", "no-op")]
    assert statuses[WARN_TEST] == "warn"
    [(rejected, lines, share, is_mass, config_vars)] = _rows(db, """
        select rejected_rows, lines_in_files, reject_share, is_mass_rejection, config_vars
        from marts.fct_source_reject_reasons
        where source_table = 'shop_orders' and reject_reason = 'invalid_timestamp'
    """)
    assert is_mass and share > 0.9 and rejected > 100 and lines >= rejected
    assert config_vars == "cdp_valid_timestamp_range"
    # Nothing else crosses the threshold (a few defects per source are normal).
    assert _rows(db, "select source_table, reject_reason from marts.fct_source_reject_reasons"
                     " where is_mass_rejection") == [("shop_orders", "invalid_timestamp")]


def test_the_summary_names_source_reason_share_and_var(warehouse_1995, monkeypatch):
    _, db, _, _ = warehouse_1995
    monkeypatch.setenv("CDP_DUCKDB_PATH", str(db))
    [warning] = mass_rejection_warnings()
    assert warning.startswith("shop_orders lost 9") and "% of its lines (" in warning
    assert "to invalid_timestamp" in warning and "var cdp_valid_timestamp_range" in warning
    assert "var cdp_mass_reject_threshold" in warning

    console = Console(record=True, width=250, color_system=None)
    print_pipeline_summary(console)
    text = console.export_text()
    assert f"warning: {warning}" in text


def test_widening_the_timestamp_range_clears_the_warning(warehouse_1995, monkeypatch):
    root, _, _, dbt_paths = warehouse_1995
    db = root / "widened.duckdb"
    db.write_bytes((root / "cdp.duckdb").read_bytes())
    result = run_dbt(["build", "--select", "+fct_source_reject_reasons", *dbt_paths,
                      "--vars", '{"cdp_valid_timestamp_range": ["1990-01-01", "2100-01-01"]}'],
                     duckdb_path=db, check=False)
    statuses = {r.node.name: str(r.status) for r in result.result.results}
    assert result.success and statuses[WARN_TEST] == "pass"
    monkeypatch.setenv("CDP_DUCKDB_PATH", str(db))
    assert mass_rejection_warnings() == []


def test_nested_values_are_rejects_not_identifiers(warehouse_1995):
    _, db, _, _ = warehouse_1995
    for name, document, expected in NESTED_LINES:
        key = document.get("messageId") or document.get("event_id") or document["consent_id"]
        rows = _rows(db, """
            select reject_reason, reject_column from marts.fct_source_rejects
            where source_file = ? and raw_record like ?
        """, [name, f'%"{key}"%'])
        assert rows == ([expected] if expected else []), key
    # Nothing shaped like JSON reached the identity graph.
    assert _rows(db, "select id_type, id_value from intermediate.int_identity__observations"
                     " where id_value like '{%' or id_value like '[%'") == []
    assert _rows(db, "select count(*) from intermediate.int_identity__observations"
                     " where id_value = 'cookie-nested-4'") == [(1,)]
