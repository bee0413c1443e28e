"""The two ways a destination call can fail, which decide what the sync engine does next.

`TransientError`: worth retrying (429, 5xx, timeouts, dropped connections); once retries are
exhausted the engine leaves the rows dirty so the next run sends them again.
`PermanentError`: retrying cannot help (4xx other than 429, a payload the API refuses); the
rows are reported as rejected with the server's own explanation.
"""

from __future__ import annotations

BODY_LIMIT = 500  # enough of an error body to explain itself, not a whole HTML page


class SyncError(Exception):
    """Base class of every error a destination call raises."""


class TransientError(SyncError):
    """A failure that may succeed later; `retry_after` is the server's requested wait (s)."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class PermanentError(SyncError):
    """A refusal that will repeat on retry; `body` is the start of the server's response."""

    def __init__(self, message: str, *, status: int | None = None, body: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.body = body[:BODY_LIMIT]
