"""Engine equivalence: the dbt project built on two engines from the same raw data must agree.

Engine-agnostic: every check reads through a *fetcher*, a callable taking a SQL query and
returning a pandas DataFrame, so DuckDB, PostgreSQL and Spark compare alike. The queries use
plain `select <columns> from <schema>.<table>` and nothing engine-specific; all normalisation
(types the drivers return, time zones, float tolerance) happens here in Python.

    differences = compare_engines(dbapi_fetcher(duckdb_conn), dbapi_fetcher(pg_conn))
    assert not any(differences.values()), format_differences(differences)

Any difference is a bug in an engine's macros, never noise to tolerate: floats are compared
within 1e-9 relative (engines sum in different orders), everything else exactly.

Command line (for a manual check after building both engines on the same raw data):

    python tests/engines/compare.py --duckdb warehouse/cdp.duckdb \\
        --postgres "host=127.0.0.1 port=5432 dbname=cdp user=cdp"
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import math
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

Fetcher = Callable[[str], pd.DataFrame]

REL_TOL = 1e-9
ABS_TOL = 1e-12
MAX_REPORTED = 10  # differences listed per table (the count is always reported)


@dataclass(frozen=True)
class TableCheck:
    """One relation compared row by row.

    `keys` identify a row (None: rows are compared as a sorted multiset); `ignore` lists
    columns that legitimately differ between builds (run timestamps, ids hashed from them);
    `where` restricts the rows (plain SQL every engine reads alike).
    """

    relation: str
    keys: Sequence[str] | None = None
    ignore: Sequence[str] = field(default_factory=tuple)
    where: str | None = None


# Run-dependent columns (`run_started_at`: membership ids and entry dates, person-map change
# dates; load times)
# are ignored; rule_sql is each engine's dialect by design.
DEFAULT_CHECKS: tuple[TableCheck, ...] = (
    TableCheck("intermediate.int_identity__record_persons", ["source_table", "source_record_key"]),
    # Kept per load: after the second (incremental) build; a code fingerprint is of each
    # engine's own SQL, a load time of each engine's own load.
    TableCheck("intermediate.int_identity__record_nodes",
               ["source_table", "source_record_key", "node_id"],
               ignore=["loaded_at", "base_code_fingerprint", "observations_code_fingerprint",
                       "record_identifiers_code_fingerprint", "code_fingerprint"]),
    TableCheck("intermediate.int_identity__fuzzy_matches", ["contact_a", "contact_b"]),
    TableCheck("intermediate.int_identity__person_map", ["node_key"],
               ignore=["changed_at", "first_assigned_at", "updated_at"]),
    # Kept per person: after the engine run's second (incremental) build, which recomputes
    # the persons whose inputs changed (none) and must keep every other row.
    TableCheck("intermediate.int_customers__activities", ["source_table", "source_record_key"]),
    TableCheck("intermediate.int_customers__best_names", ["person_id"]),
    TableCheck("intermediate.int_customers__identifier_lists", ["person_id"]),
    TableCheck("intermediate.int_attribution__touches", ["touch_id"]),
    TableCheck("intermediate.int_traits__activity_summary", ["person_id"]),
    TableCheck("marts.dim_customers", ["person_id"]),
    TableCheck("marts.fct_consent_events", ["consent_event_key"]),
    TableCheck("marts.dim_consent", ["person_id", "purpose", "channel"]),
    TableCheck("marts.dim_identity_identifiers", None),
    TableCheck("marts.fct_identity_links", ["link_id"]),
    TableCheck("marts.fct_identity_audit", None),
    TableCheck("marts.fct_audience_memberships", ["person_id", "audience_name", "variant"],
               ignore=["membership_id", "entered_at", "exited_at"], where="exited_at is null"),
    TableCheck("marts.fct_audience_members", ["person_id", "audience_name", "variant"],
               ignore=["membership_id", "entered_at"]),
    TableCheck("marts.dim_audiences", ["audience_name"], ignore=["rule_sql", "last_entry_at"]),
    TableCheck("marts.fct_attribution_credits", None),
    TableCheck("marts.fct_attribution_by_channel", None),
    TableCheck("marts.fct_kpi_monthly", None),
    TableCheck("marts.fct_cohort_retention", None),
    TableCheck("marts.fct_clv_by_acquisition", None),
    TableCheck("marts.fct_source_rejects", ["reject_id"], ignore=["loaded_at"]),
    TableCheck("marts.fct_source_reject_reasons", None),
    TableCheck("marts.fct_source_reconciliation", None),
    TableCheck("sync.sync_hubspot__contacts", ["person_id"]),
    # The masked views BI reads: masking must give the same text on every engine (hashes,
    # initials, partial emails and phones), so the views with tagged columns are compared too.
    TableCheck("pii_masked.dim_customers", ["person_id"]),
    TableCheck("pii_masked.dim_identity_identifiers", ["identifier_key"]),
    TableCheck("pii_masked.fct_identity_links", ["link_id"]),
    TableCheck("pii_masked.fct_identity_audit", None),
    TableCheck("pii_masked.dim_audiences", ["audience_name"],
               ignore=["rule_sql", "last_entry_at"]),
    TableCheck("pii_masked.fct_source_rejects", ["reject_id"], ignore=["loaded_at"]),
)


def dbapi_fetcher(connection) -> Fetcher:
    """A fetcher over any DB-API 2.0 connection (duckdb, psycopg, pyhive, ...)."""

    def fetch(sql: str) -> pd.DataFrame:
        cursor = connection.cursor()
        try:
            cursor.execute(sql)
            columns = [d[0] for d in cursor.description]
            return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)
        finally:
            cursor.close()

    return fetch


def normalise(value):
    """One value as plain Python, comparable across drivers (None for every kind of null)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        value = value.item()
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def values_equal(left, right) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    numeric = (int, float, decimal.Decimal)
    if isinstance(left, numeric) and isinstance(right, numeric):
        if isinstance(left, float) or isinstance(right, float):
            return math.isclose(float(left), float(right), rel_tol=REL_TOL, abs_tol=ABS_TOL)
        return decimal.Decimal(left) == decimal.Decimal(right)
    if type(left) is not type(right):  # date vs timestamp, text vs number: a real difference
        return False
    return left == right


def _sort_key(row: tuple) -> tuple:
    """Rows in a stable order whatever the engine: nulls first, floats to 9 digits."""
    key = []
    for value in row:
        if value is None:
            key.append((0, ""))
        elif isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool):
            key.append((1, f"{float(value):.9g}"))
        else:
            key.append((2, repr(value)))
    return tuple(key)


def _rows(frame: pd.DataFrame, columns: Sequence[str]) -> list[tuple]:
    return [tuple(normalise(v) for v in row)
            for row in frame[list(columns)].itertuples(index=False, name=None)]


def compare_frames(left: pd.DataFrame, right: pd.DataFrame, keys: Sequence[str] | None = None,
                   ignore: Iterable[str] = ()) -> list[str]:
    """Differences between two results of the same query on two engines (empty: equal)."""
    ignored = {c.lower() for c in ignore}
    left = left.rename(columns=str.lower)
    right = right.rename(columns=str.lower)
    problems: list[str] = []
    left_only = [c for c in left.columns if c not in right.columns]
    right_only = [c for c in right.columns if c not in left.columns]
    if left_only or right_only:
        problems.append(f"columns only left {left_only}, only right {right_only}")
    columns = [c for c in left.columns if c in right.columns and c not in ignored]
    if len(left) != len(right):
        problems.append(f"row count {len(left)} vs {len(right)}")

    keys = [k.lower() for k in keys or ()]
    if [k for k in keys if k not in columns]:
        problems.append(f"key columns {keys} not all in both results: compared as a multiset")
        keys = []
    if keys:
        others = [c for c in columns if c not in keys]
        left_rows = {r[:len(keys)]: r[len(keys):] for r in _rows(left, keys + others)}
        right_rows = {r[:len(keys)]: r[len(keys):] for r in _rows(right, keys + others)}
        if len(left_rows) != len(left) or len(right_rows) != len(right):
            problems.append(f"keys {keys} not unique")
        missing = sorted(set(left_rows) - set(right_rows), key=_sort_key)
        extra = sorted(set(right_rows) - set(left_rows), key=_sort_key)
        for label, found in (("only left", missing), ("only right", extra)):
            if found:
                problems.append(f"{len(found)} keys {label}, e.g. {found[:MAX_REPORTED]}")
        pairs = [(k, left_rows[k], right_rows[k]) for k in left_rows if k in right_rows]
    else:
        others = columns
        left_sorted = sorted(_rows(left, columns), key=_sort_key)
        right_sorted = sorted(_rows(right, columns), key=_sort_key)
        pairs = [(i, a, b) for i, (a, b) in enumerate(zip(left_sorted, right_sorted, strict=False))]

    mismatches: dict[str, list] = {}
    for key, a, b in pairs:
        for column, x, y in zip(others, a, b, strict=True):
            if not values_equal(x, y):
                mismatches.setdefault(column, []).append((key, x, y))
    for column, found in mismatches.items():
        problems.append(f"column {column}: {len(found)} rows differ, e.g. "
                        + "; ".join(f"{k}: {x!r} vs {y!r}" for k, x, y in found[:MAX_REPORTED]))
    return problems


def person_partitions(fetch: Fetcher) -> set[frozenset]:
    """The persons as sets of (source table, record key), whatever ids they were given."""
    frame = fetch("select person_id, source_table, source_record_key"
                  " from intermediate.int_identity__record_persons where person_id is not null")
    groups: dict[str, set] = {}
    for person, table, key in frame.itertuples(index=False, name=None):
        groups.setdefault(person, set()).add((table, key))
    return {frozenset(g) for g in groups.values()}


def compare_partitions(left: Fetcher, right: Fetcher) -> list[str]:
    a, b = person_partitions(left), person_partitions(right)
    problems = []
    if a != b:
        only_a, only_b = a - b, b - a
        problems.append(f"{len(a)} vs {len(b)} persons; {len(only_a)} partitions only left, "
                        f"{len(only_b)} only right, e.g. {sorted(map(sorted, only_a))[:3]} vs "
                        f"{sorted(map(sorted, only_b))[:3]}")
    return problems


def compare_engines(left: Fetcher, right: Fetcher,
                    checks: Iterable[TableCheck] = DEFAULT_CHECKS) -> dict[str, list[str]]:
    """Differences per check (empty lists: equal). `person partitions` is always checked."""
    results = {"person partitions": compare_partitions(left, right)}
    for check in checks:
        sql = f"select * from {check.relation}" + (f" where {check.where}" if check.where else "")
        try:
            frames = left(sql), right(sql)
        except Exception as error:  # a missing relation is a difference too
            results[check.relation] = [f"could not read: {error}".splitlines()[0]]
            continue
        results[check.relation] = compare_frames(*frames, keys=check.keys, ignore=check.ignore)
    return results


def format_differences(results: dict[str, list[str]]) -> str:
    lines = []
    for name, problems in results.items():
        lines.append(f"{name}: {'equal' if not problems else f'{len(problems)} difference(s)'}")
        lines.extend(f"    {p}" for p in problems)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duckdb", required=True, help="DuckDB file (read only)")
    parser.add_argument("--postgres", required=True, help="libpq connection string")
    args = parser.parse_args(argv)
    import duckdb
    import psycopg

    with duckdb.connect(args.duckdb, read_only=True) as duck, \
            psycopg.connect(args.postgres) as pg:
        results = compare_engines(dbapi_fetcher(duck), dbapi_fetcher(pg))
    print(format_differences(results))
    return 1 if any(results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
