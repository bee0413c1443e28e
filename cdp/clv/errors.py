"""The one error the CLV library raises for data it cannot fit or score."""

from __future__ import annotations


class ClvFitError(ValueError):
    """Bad input, too little data, or a fit that did not converge, with a message naming which.

    A ValueError so callers that already guard model code with `except ValueError` keep working;
    scipy's own warnings and exceptions are turned into this inside the library.
    """
