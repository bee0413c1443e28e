"""Which noise kinds each duplicate contact gets (FEBRL-like: 1-3 changes, one per field).

Every kind has its own rate and applies only where it can change something (no nickname for
`Uwe`, no day/month swap for the 25th). A duplicate draws each kind independently; two kinds
drawn for one field are settled at random (the field keeps one); a duplicate that drew
nothing draws again, since a contact re-created without any difference is a re-export,
which the default profile already has. The resulting shares are the rates / (1 - P(none)),
about 1.4 x the rates below; `manifest.json` counts what was applied.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Kind:
    name: str  # as written in the truth's `noise` column
    fields: tuple[str, ...]  # contact columns it changes: each field takes one kind at most
    rate: float  # chance a duplicate draws it (where it applies), before the redraw


KINDS: tuple[Kind, ...] = (
    Kind("first_name_typo", ("first_name",), 0.10),
    Kind("last_name_typo", ("last_name",), 0.10),
    Kind("nickname", ("first_name",), 0.15),
    Kind("truncated_first_name", ("first_name",), 0.04),
    Kind("names_swapped", ("first_name", "last_name"), 0.03),
    Kind("postcode_typo", ("postal_code",), 0.07),
    Kind("dob_typo", ("date_of_birth",), 0.07),
    Kind("dob_day_month_swapped", ("date_of_birth",), 0.10),
    Kind("missing_first_name", ("first_name",), 0.03),
    Kind("missing_date_of_birth", ("date_of_birth",), 0.04),
    Kind("missing_postcode", ("postal_code",), 0.04),
    Kind("missing_address", ("address_line1", "address_line2"), 0.03),
    Kind("address_abbreviated", ("address_line1",), 0.12),
    Kind("address_typo", ("address_line1",), 0.06),
    Kind("city_typo", ("city",), 0.05),
)
KIND_NAMES = tuple(kind.name for kind in KINDS)

_FIELDS = sorted({f for kind in KINDS for f in kind.fields})
_TOUCHES = np.array([[f in kind.fields for f in _FIELDS] for kind in KINDS])  # kinds x fields
_RATES = np.array([kind.rate for kind in KINDS])
_MAX_DRAWS = 100  # a duplicate where some kind applies draws one within a few rounds


def draw_kinds(rng: np.random.Generator, applies: np.ndarray) -> np.ndarray:
    """rows x KINDS booleans: the kinds each duplicate gets, given where each `applies`."""
    chosen = np.zeros(applies.shape, dtype=bool)
    pending = np.flatnonzero(applies.any(axis=1))
    for _ in range(_MAX_DRAWS):
        if not len(pending):
            break
        chosen[pending] = _one_draw(rng, applies[pending])
        pending = pending[~chosen[pending].any(axis=1)]
    return chosen


def _one_draw(rng: np.random.Generator, applies: np.ndarray) -> np.ndarray:
    n = len(applies)
    u = rng.random(applies.shape)
    drawn = applies & (u < _RATES)
    # Drawn kinds in a random order per row (u / rate is uniform given drawn): the first to
    # claim a field keeps it.
    order = np.argsort(np.where(drawn, u / _RATES, np.inf), axis=1, kind="stable")
    rows = np.arange(n)
    taken = np.zeros((n, len(_FIELDS)), dtype=bool)
    chosen = np.zeros(applies.shape, dtype=bool)
    for rank in range(len(KINDS)):
        kind = order[:, rank]
        free = drawn[rows, kind] & ~(taken & _TOUCHES[kind]).any(axis=1)
        chosen[rows[free], kind[free]] = True
        taken |= free[:, None] & _TOUCHES[kind]
    return chosen
