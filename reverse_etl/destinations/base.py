"""The one narrow interface every destination implements, and what it reports back.

A destination receives records already selected, mapped and consent-filtered by the engine, in
batches no larger than its declared `batch_size`; it answers which keys the remote system
accepted and why the others were rejected. Transient trouble (429, 5xx, timeouts) is raised as
`TransientError` after the transport's retries; the engine then leaves the rows dirty.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

MODES = frozenset({"upsert", "update", "insert", "mirror"})


@dataclass(frozen=True, kw_only=True)
class Capabilities:
    batch_size: int  # most records per request the API takes
    modes: frozenset[str]  # sync modes it supports
    # Whether what it receives is personal data (people's records, identifiers, hashes of
    # them): a sync to it must then declare its processing purpose. Required, no default, so
    # a new destination cannot be exempted by forgetting to say.
    personal_data: bool
    rate_limit_per_second: float | None = None  # requests per second per account
    can_remove: bool = True


@dataclass(frozen=True)
class Record:
    key: str
    fields: Mapping[str, Any]
    row_hash: str


@dataclass
class BatchResult:
    accepted: list[str] = field(default_factory=list)  # keys the destination took
    rejected: dict[str, str] = field(default_factory=dict)  # key -> reason

    def merge(self, other: BatchResult) -> BatchResult:
        self.accepted.extend(other.accepted)
        self.rejected.update(other.rejected)
        return self


class ConfigError(ValueError):
    """A sync's destination config that cannot work (unknown key, missing secret env var)."""


class Destination(ABC):
    """Subclasses set `kind`, `capabilities` and implement `upsert` (and `remove`)."""

    kind: ClassVar[str]
    capabilities: ClassVar[Capabilities]
    # Erasing needs fields beyond the key (HubSpot: the email), kept in every mode.
    keeps_removal_fields: ClassVar[bool] = False

    def __init__(self, sync_name: str, mode: str) -> None:
        self.sync_name = sync_name
        self.mode = mode

    @abstractmethod
    def upsert(self, records: list[Record]) -> BatchResult:
        """Create or update (insert / update modes are the destination's to honour)."""

    def remove(self, records: list[Record]) -> BatchResult:
        """Remove records this sync sent before (mirror); `fields` are what `removal_fields`
        kept of the last ones sent."""
        raise NotImplementedError(f"{self.kind} cannot remove records")

    def erase(self, records: list[Record]) -> BatchResult:
        """Remove forgotten persons for good (a forget request), whatever the sync's mode.
        By default their removal; a destination that cannot remove refuses each one, so the
        request stays unconfirmed (and overdue in fct_privacy_requests) until handled."""
        if self.capabilities.can_remove:
            return self.remove(records)
        return BatchResult(rejected={r.key: f"{self.kind} cannot erase a person: delete them"
                                            " in the destination by hand" for r in records})

    def removal_fields(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """What a later `remove` of this record needs from the fields sent now; the engine
        stores it in the warehouse, so keep it minimal and hashed where the API takes hashes.
        Most destinations remove by key alone. Must accept its own output (state written
        before a change in what is kept is rewritten through it)."""
        return {}

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections or flush files."""

    def __enter__(self) -> Destination:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def require_keys(kind: str, config: Mapping[str, Any], required: set[str],
                 optional: set[str]) -> None:
    """Unknown or missing config keys are errors naming the destination kind."""
    unknown = sorted(set(config) - required - optional)
    missing = sorted(required - set(config))
    if unknown:
        raise ConfigError(f"{kind} destination: unknown config key '{unknown[0]}' "
                          f"(allowed: {', '.join(sorted(required | optional))})")
    if missing:
        raise ConfigError(f"{kind} destination: missing config key '{missing[0]}'")
