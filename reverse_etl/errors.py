"""The ways a destination call can fail, which decide what the sync engine does next.

`TransientError`: worth retrying (429, 5xx, timeouts, dropped connections); once retries are
exhausted the engine leaves the rows dirty so the next run sends them again.
`PermanentError`: retrying cannot help (4xx other than 429, a payload the API refuses); the
rows are reported as rejected with the server's own explanation.
`DestinationRefusing`: the destination refuses request after request; the run stops instead
of splitting every batch down to single records.

Messages and bodies are redacted when the error is made: they quote servers and exception
texts, which may echo our credentials or a customer's e-mail, and end up stored and printed.
"""

from __future__ import annotations

from reverse_etl.redact import redact

BODY_LIMIT = 500  # enough of an error body to explain itself, not a whole HTML page


def redacted_start(text: str | None) -> str:
    """The first BODY_LIMIT characters of `text`, redacted. Redacted before it is cut: cut
    first, an e-mail or token across the cut would lose what makes it recognisable."""
    return (redact((text or "")[:BODY_LIMIT * 4]) or "")[:BODY_LIMIT]


class SyncError(Exception):
    """Base class of every error a destination call raises."""


class TransientError(SyncError):
    """A failure that may succeed later; `retry_after` is the server's requested wait (s)."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(redact(message))
        self.status = status
        self.retry_after = retry_after


class PermanentError(SyncError):
    """A refusal that will repeat on retry; `body` is the start of the server's response."""

    def __init__(self, message: str, *, status: int | None = None, body: str = "") -> None:
        super().__init__(redact(message))
        self.status = status
        self.body = redacted_start(body)


class DestinationRefusing(SyncError):
    """Request after request refused (4xx): the destination rejects everything, not records.

    Deliberately neither Permanent nor Transient: split retries would catch the first and
    retries the second, and both would go on sending.
    """

    def __init__(self, message: str, *, refused: int = 0, status: int | None = None,
                 body: str = "") -> None:
        super().__init__(redact(message))
        self.refused = refused
        self.status = status
        self.body = redacted_start(body)
