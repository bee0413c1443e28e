"""The drawn noise kinds made real on the contact values, and the truth of what changed.

Values are Python lists per contact column (one chunk of contacts); `applied` is a rows x
NOISE_KINDS boolean matrix that ends up in the truth's `noise` column. A kind is marked only
where it changed the value: a typo that happens to rewrite a letter with itself is no typo.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdp.generate.contacts_only import edits
from cdp.generate.contacts_only.kinds import KIND_NAMES
from cdp.generate.contacts_only.nicknames import name_key, written_nickname
from cdp.generate.context import ChunkContext
from cdp.generate.noise import written_names

# Spelling differences staging normalises away, on any contact (originals too), as the
# default CRM export writes them: names in capitals, lower case, padded, without accents;
# legacy systems' shouted streets and cities.
STYLE_KINDS = ("name_case", "name_padding", "accents_dropped", "address_case")
NOISE_KINDS = KIND_NAMES + STYLE_KINDS
NAME_STYLE_SHARE = 0.10
SHOUTED_SHARE = 0.05
_TYPO_TRIES = 5

Values = dict[str, list]
_TYPO_FIELDS = {"first_name_typo": "first_name", "last_name_typo": "last_name",
                "address_typo": "address_line1", "city_typo": "city"}
_MISSING_FIELDS = {"missing_first_name": ("first_name",),
                   "missing_date_of_birth": ("date_of_birth",),
                   "missing_postcode": ("postal_code",),
                   "missing_address": ("address_line1", "address_line2")}


def applicable(values: Values, rows: np.ndarray, nicknames: dict) -> np.ndarray:
    """len(rows) x KINDS: where each kind can change the contact's clean values."""
    def each(field: str, test) -> list[bool]:
        return [test(values[field][i]) for i in rows]

    def long_enough(value: str | None) -> bool:  # name_variant never types over letter 1
        return value is not None and len(value) >= 4

    tests = {
        "first_name_typo": each("first_name", long_enough),
        "last_name_typo": each("last_name", long_enough),
        "nickname": each("first_name", lambda v: name_key(v) in nicknames),
        "truncated_first_name": each("first_name", lambda v: len(v) >= 2),
        "dob_day_month_swapped": each("date_of_birth", edits.can_swap_day_month),
        "address_abbreviated": each("address_line1", edits.has_street_word),
        "address_typo": each("address_line1", long_enough),
        "city_typo": each("city", long_enough),
    }
    everywhere = np.ones(len(rows), dtype=bool)
    return np.column_stack([np.asarray(tests.get(k, everywhere), dtype=bool)
                            for k in KIND_NAMES])


def apply_kinds(ctx: ChunkContext, rng: np.random.Generator, values: Values,
                chosen: np.ndarray, applied: np.ndarray, nicknames: dict, latest: date) -> None:
    """Change `values` as `chosen` (rows x KINDS) says, marking `applied` (in place)."""
    for k, kind in enumerate(KIND_NAMES):
        rows = np.flatnonzero(chosen[:, k])
        if not len(rows):
            continue
        applied[rows, k] = True
        if kind in _TYPO_FIELDS:
            field = values[_TYPO_FIELDS[kind]]
            typed = _typos(ctx, rng, [field[i] for i in rows])
            for i, text in zip(rows, typed, strict=True):
                applied[i, k] = name_key(text) != name_key(field[i])
                field[i] = text
        elif kind in _MISSING_FIELDS:
            for name in _MISSING_FIELDS[kind]:
                for i in rows:
                    values[name][i] = None
        else:
            _edit(kind, rows, values, rng, nicknames, latest)


def _typos(ctx: ChunkContext, rng: np.random.Generator, texts: list[str]) -> list[str]:
    """Each text with one typo (sql.py's name_variant kinds 5-8). A typo a matcher cannot
    see (a letter over itself or its other case or accent, two equal letters swapped) is
    typed again, a few times at most."""
    typed, pending = list(texts), list(range(len(texts)))
    for _ in range(_TYPO_TRIES):
        if not pending:
            break
        again = written_names(ctx, rng, pa.array([texts[i] for i in pending], pa.string()),
                              style_share=0.0, typo_share=1.0).to_pylist()
        for i, text in zip(pending, again, strict=True):
            typed[i] = text
        pending = [i for i in pending if name_key(typed[i]) == name_key(texts[i])]
    return typed


def _edit(kind: str, rows: np.ndarray, values: Values, rng: np.random.Generator,
          nicknames: dict, latest: date) -> None:
    first, last = values["first_name"], values["last_name"]
    dob, postcode = values["date_of_birth"], values["postal_code"]
    r = rng.integers(0, 1 << 30, len(rows))
    for i, ri in zip(rows.tolist(), r.tolist(), strict=True):
        if kind == "nickname":
            choices = nicknames[name_key(first[i])]
            first[i] = written_nickname(choices[ri % len(choices)])
        elif kind == "truncated_first_name":
            first[i] = edits.truncated(first[i], ri)
        elif kind == "names_swapped":
            first[i], last[i] = last[i], first[i]
        elif kind == "postcode_typo":
            postcode[i] = edits.postcode_typo(postcode[i], rng)
        elif kind == "dob_typo":
            dob[i] = edits.dob_typo(dob[i], rng, latest)
        elif kind == "dob_day_month_swapped":
            dob[i] = edits.day_month_swapped(dob[i])
        elif kind == "address_abbreviated":
            values["address_line1"][i] = edits.street_words_switched(values["address_line1"][i])
        else:
            raise ValueError(f"no edit for noise kind {kind}")


def apply_style(ctx: ChunkContext, rng: np.random.Generator, values: Values,
                applied: np.ndarray) -> None:
    """Case, padding and accent variants on every contact, marking `applied` (in place)."""
    column = {kind: len(KIND_NAMES) + s for s, kind in enumerate(STYLE_KINDS)}
    for field in ("first_name", "last_name"):
        old = pa.array(values[field], pa.string())
        new = written_names(ctx, rng, old, style_share=NAME_STYLE_SHARE)
        for i in _changed(old, new):
            text, before = new[i].as_py(), values[field][i]
            kind = ("name_padding" if text != text.strip() else
                    "name_case" if text in (before.upper(), before.lower()) else
                    "accents_dropped")
            applied[i, column[kind]] = True
        values[field] = new.to_pylist()
    for field in ("address_line1", "city"):
        old = pa.array(values[field], pa.string())
        new = pc.if_else(pa.array(rng.random(len(old)) < SHOUTED_SHARE), pc.utf8_upper(old), old)
        applied[_changed(old, new), column["address_case"]] = True
        values[field] = new.to_pylist()


def _changed(old: pa.Array, new: pa.Array) -> np.ndarray:
    differs = pc.fill_null(pc.not_equal(old, new), False)
    return np.flatnonzero(differs.to_numpy(zero_copy_only=False))


def noise_labels(applied: np.ndarray) -> pa.Array:
    """Per row, the applied kinds joined by commas (NOISE_KINDS order); null for none."""
    labels: list[str | None] = [None] * len(applied)
    for i in np.flatnonzero(applied.any(axis=1)):
        labels[i] = ",".join(NOISE_KINDS[k] for k in np.flatnonzero(applied[i]))
    return pa.array(labels, pa.string())
