"""The one error a load raises, and how a DuckDB or OS error becomes one line of it."""

from __future__ import annotations


class LoadError(RuntimeError):
    """A raw file cannot be loaded as it is: one line naming the file, the table and why.

    Nothing was changed: a load either publishes every file or leaves the warehouse as it was.
    """


def reason(exc: BaseException) -> str:
    """The first line of an error. DuckDB appends the failing SQL and a caret marker on
    further lines: noise in a message about a file, and they would break the one-line rule."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__
