"""The same contract checked on every destination: declared capabilities, upserts that land,
updates, removals, per-record rejects mapped back to keys, and transient failures surfaced as
TransientError (so the engine leaves the rows dirty)."""

from __future__ import annotations

import pytest

from reverse_etl.destinations.base import MODES, Record
from reverse_etl.destinations.registry import DESTINATIONS
from reverse_etl.errors import TransientError
from tests.reverse_etl.harnesses import HARNESSES, NEEDS_ENV, PER_RECORD_REJECTS


def _records(n: int, version: int = 1) -> list[Record]:
    return [Record(f"k{i:03d}", {"email": f"p{i}@example.org", "version": str(version)},
                   f"h{i}-{version}") for i in range(n)]


@pytest.fixture(params=sorted(HARNESSES))
def kind(request):
    return request.param


def _open(kind, tmp_path, monkeypatch, bad_keys=()):
    harness = HARNESSES[kind]
    if kind in NEEDS_ENV:
        return harness(tmp_path, list(bad_keys), monkeypatch=monkeypatch)
    return harness(tmp_path, list(bad_keys))


def test_every_registered_destination_has_a_harness():
    assert set(DESTINATIONS) == set(HARNESSES)


def test_capabilities_are_declared(kind):
    capabilities = DESTINATIONS[kind].capabilities
    assert capabilities.batch_size >= 1 and capabilities.modes <= MODES
    assert "upsert" in capabilities.modes or "insert" in capabilities.modes
    # Every shipped destination receives people's records (the dummy stands in for them).
    assert capabilities.personal_data is True


def test_upsert_update_and_remove_land_in_the_remote(kind, tmp_path, monkeypatch):
    with _open(kind, tmp_path, monkeypatch) as (destination, remote):
        first = destination.upsert(_records(30))
        assert sorted(first.accepted) == [r.key for r in _records(30)] and not first.rejected
        assert remote() == {r.key: dict(r.fields) for r in _records(30)}
        updated = destination.upsert(_records(5, version=2))
        assert len(updated.accepted) == 5 and remote()["k003"]["version"] == "2"
        if not destination.capabilities.can_remove:
            return
        # What the engine keeps for a removal, not the whole payload.
        removed = destination.remove([Record(r.key, destination.removal_fields(r.fields),
                                             r.row_hash) for r in _records(30)[:10]])
        assert len(removed.accepted) == 10
        assert sorted(remote()) == [r.key for r in _records(30)[10:]]


def test_removal_state_is_minimal_hashed_and_stable(kind, tmp_path, monkeypatch):
    with _open(kind, tmp_path, monkeypatch) as (destination, _remote):
        [record] = _records(1)
        kept = destination.removal_fields(record.fields)
        if destination.keeps_removal_fields:  # erases by it (HubSpot: GDPR delete by email)
            assert list(kept) == [destination.id_property]
        else:
            assert "p0@example.org" not in repr(kept)  # never the address in clear
        assert destination.removal_fields(kept) == kept  # old state is rewritten through it


def test_per_record_rejects_are_mapped_to_their_keys(kind, tmp_path, monkeypatch):
    if kind not in PER_RECORD_REJECTS:
        pytest.skip(f"{kind} accepts or fails whole batches")
    with _open(kind, tmp_path, monkeypatch, bad_keys=["k007", "k013"]) as (destination, remote):
        result = destination.upsert(_records(20))
        assert set(result.rejected) == {"k007", "k013"}
        assert sorted(result.accepted) == sorted(r.key for r in _records(20)
                                                 if r.key not in {"k007", "k013"})
        assert set(remote()) == set(result.accepted)


def test_transient_failures_surface_as_transient_errors(kind, tmp_path, monkeypatch):
    if kind == "file":
        pytest.skip("a local file system has no transient answers")
    with _open(kind, tmp_path, monkeypatch) as (destination, _):
        if kind == "dummy":
            destination.transient_rate = 1.0
        else:
            server = getattr(destination, "server", None)
            if server is None:
                pytest.skip(f"{kind}'s harness exposes no server to break")
            server.faults.error(503, times=100)
        with pytest.raises(TransientError):
            destination.upsert(_records(3))
