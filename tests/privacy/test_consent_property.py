"""Property: whatever the consent history, a consent-filtered sync delivers exactly the people
whose latest consent to its purpose and channel is a grant, and no one else.

Random histories (tests/privacy/consent_histories.py: persons with an email, an account and
a cookie, events on any of them, ties, ESP opt-outs, a junk subject) are loaded and built
through the real loader and dbt models on DuckDB (only what the sync needs: identity and the
consent marts), then synced to a file destination in two rounds: the early events, then all
of them (revocations after grants become removals). What the file holds after each round is
compared with the persons computed in Python from the history itself.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, Phase, given, settings

from cdp.dbt import run_dbt
from cdp.load import load_raw
from reverse_etl.config import SyncSpec
from reverse_etl.engine import run_sync
from tests.privacy.consent_histories import (
    granted_persons,
    histories,
    identifiers,
    write_exports,
)

PURPOSE, CHANNEL = "marketing", "email"
# Identity and the consent ledger, and their tests; `cautious`: no test of an unbuilt model.
BUILD = ["build", "--select", "+dim_consent", "+dim_identity_identifiers",
         "--indirect-selection", "cautious", "--quiet"]
EARLY_MINUTES = 2  # the first round sees events up to this instant
OWNER = {value: (person, kind) for person in range(100)
         for kind, value in identifiers(person).items()}


def _spec(exports: Path) -> SyncSpec:
    """Every identifier of a consenting person (a multi-key audience upload)."""
    return SyncSpec(
        name="consent_property", description="", source_kind="model",
        source_name="dim_identity_identifiers", primary_key="identifier_key",
        destination_type="file", destination_config={"path": str(exports), "format": "parquet"},
        mode="mirror", fields={"id_value": "id_value", "person_id": "person_id"},
        purpose=PURPOSE, consent=(PURPOSE, CHANNEL))


def _parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("part-*.parquet")) if folder.exists() else []


def _replay(parts: list[Path]) -> dict[str, dict]:
    """What the destination holds after applying `parts` in order."""
    held: dict[str, dict] = {}
    for part in parts:
        for row in pq.read_table(part).to_pylist():
            if row["op"] == "remove":
                held.pop(row["record_key"], None)
            else:
                held[row["record_key"]] = row
    return held


def _round(root: Path, events, part: int) -> tuple[dict[str, dict], list[dict]]:
    """Load one more export part, build, sync: (what the destination holds, the rows this
    round upserted)."""
    raw, db, folder = root / "raw", root / "cdp.duckdb", root / "exports" / "consent_property"
    write_exports(events, raw, part)
    load_raw(raw, db)
    assert run_dbt(BUILD, duckdb_path=db, check=False).success, "models or tests failed"
    before = _parts(folder)
    assert run_sync(_spec(root / "exports"), db, force=True).status in ("success", "planned")
    new = [row for path in _parts(folder) if path not in before
           for row in pq.read_table(path).to_pylist() if row["op"] != "remove"]
    return _replay(_parts(folder)), new


# Each example is two loads, builds and syncs (~30 s): a few fixed examples of many persons,
# and no shrinking (every shrink step would be another build; the failing history is printed).
@settings(max_examples=3, derandomize=True, deadline=None, database=None,
          phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(history=histories())
def test_a_consent_filtered_sync_sends_exactly_the_consenting_persons(history,
                                                                      tmp_path_factory):
    root = tmp_path_factory.mktemp("consent_property")
    early = [e for e in history if e.minute <= EARLY_MINUTES]
    late = [e for e in history if e.minute > EARLY_MINUTES]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CDP_EXPORT_ROOT", str(root / "exports"))
        for part, (events, seen) in enumerate([(early, early), (late, history)], start=1):
            held, sent = _round(root, events, part)
            expected = granted_persons(seen, PURPOSE, CHANNEL)
            # Nobody without a standing grant is sent (a junk subject has no owner).
            assert {OWNER.get(row["id_value"]) for row in sent} <= {
                (person, kind) for person in expected for kind in ("email", "account", "cookie")}
            # The destination holds every identifier of every consenting person, and only them.
            assert {row["id_value"] for row in held.values()} == _expected_rows(expected), (
                part, sorted(expected))


def _expected_rows(persons: set[int]) -> set[str]:
    return {value for person in persons for value in identifiers(person).values()}
