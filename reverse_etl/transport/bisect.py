"""Split retries: isolate the records that make an API refuse a whole batch.

Many batch endpoints reject the entire request for one bad record (HubSpot's legacy batch, a
malformed email). Halving the refused batch recursively sends every good record and reports
each bad one with the server's reason, in about 2·log2(n) extra calls per bad record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, NamedTuple, TypeVar

from reverse_etl.errors import PermanentError
from reverse_etl.transport.address_policy import AddressRefused

T = TypeVar("T")
R = TypeVar("R")

# Refusals about the request itself (credentials, URL, method), not about any record in it:
# splitting would only repeat them once per record, so they propagate and fail the sync.
REQUEST_LEVEL_STATUSES = frozenset({401, 402, 403, 404, 405, 407})


class Sent(NamedTuple, Generic[T, R]):
    """A sub-batch the destination accepted, with what `send` returned for it."""

    items: list[T]
    result: R


def is_request_level(error: PermanentError) -> bool:
    """Default test for refusals that no split can fix: a refused address, auth and URL
    errors, and 3xx (redirects are not followed)."""
    if isinstance(error, AddressRefused):
        return True
    status = error.status
    return status is not None and (status in REQUEST_LEVEL_STATUSES or 300 <= status < 400)


def send_with_bisection(
    items: list[T],
    send: Callable[[list[T]], R],
    *,
    on_rejected: Callable[[T, str], None],
    is_fatal: Callable[[PermanentError], bool] = is_request_level,
) -> list[Sent[T, R]]:
    """Send `items` as one batch, halving batches refused with PermanentError.

    Returns the accepted sub-batches in order; together with the `on_rejected(item, reason)`
    calls for single items still refused, every item is accounted for. Per-record results
    inside an accepted batch (partial-success APIs) stay the caller's to read from `result`.

    Propagates TransientError (retries already spent: the caller leaves the batch dirty, and
    halves sent before it are sent again next run, so `send` must be idempotent), any
    PermanentError `is_fatal` says is about the request rather than its records, an
    AddressRefused connection, and DestinationRefusing (not a PermanentError: the transport
    saw too many refusals in a row to keep splitting).
    """
    accepted: list[Sent[T, R]] = []
    _send(items, send, on_rejected, is_fatal, accepted)
    return accepted


def _send(
    items: list[T],
    send: Callable[[list[T]], R],
    on_rejected: Callable[[T, str], None],
    is_fatal: Callable[[PermanentError], bool],
    accepted: list[Sent[T, R]],
) -> None:
    if not items:
        return
    try:
        accepted.append(Sent(items, send(items)))
    except PermanentError as error:
        if isinstance(error, AddressRefused) or is_fatal(error):  # no record is at fault
            raise
        if len(items) == 1:
            on_rejected(items[0], str(error))
            return
        middle = len(items) // 2
        _send(items[:middle], send, on_rejected, is_fatal, accepted)
        _send(items[middle:], send, on_rejected, is_fatal, accepted)
