"""One noise kind's change to one value, as a person re-typing a contact makes it.

Pure functions of the value and numbers drawn by the caller (numpy decides everything
random), each returning a value different from the one given: the truth's `noise` column may
then say "this kind was applied" without checking. Typos in names, streets and cities are
the default generator's (`name_variant` in sql.py) and are not repeated here.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np

# Street words and the short forms people and postal services write (US, GB, DE, FR).
# Matched as whole words, case as written; both directions are used, since a CRM holds both.
_STREET_WORDS = (
    ("Street", "St"), ("Road", "Rd"), ("Avenue", "Ave"), ("Drive", "Dr"), ("Lane", "Ln"),
    ("Court", "Ct"), ("Place", "Pl"), ("Boulevard", "Blvd"),
    ("straße", "str."), ("avenue", "av."), ("boulevard", "bd"),
)
_LONG = {short: long for long, short in _STREET_WORDS}
_SHORT = dict(_STREET_WORDS)
# The German suffix is part of the word (`Hauptstraße`); the others stand alone.
_WORD = re.compile(r"(straße|str\.)|\b(" + "|".join(
    re.escape(w) for pair in _STREET_WORDS if pair[0] != "straße" for w in pair
) + r")(?![\w.])")

# Date-of-birth digits people mistype: year tens/units, month, day of `YYYY-MM-DD`.
_DOB_DIGITS = (2, 3, 5, 6, 8, 9)
_EARLIEST_BIRTH = date(1900, 1, 1)  # staging rejects older dates (var cdp_valid_date_range)


def has_street_word(line: str | None) -> bool:
    return bool(line) and _WORD.search(line) is not None


def street_words_switched(line: str) -> str:
    """The last street word abbreviated, or expanded when it is already short."""
    match = list(_WORD.finditer(line))[-1]
    word = match.group(0)
    other = _SHORT.get(word) or _LONG[word]
    return line[:match.start()] + other + line[match.end():]


def truncated(name: str, r: int) -> str:
    """An initial (`R`, `R.`) or the first 3-4 letters (`Rob`, `Robe`), never the name itself."""
    if r % 3 == 0 or len(name) <= 4:
        return name[0].upper() + ("." if r % 2 else "")
    return name[: 3 + r % 2]


def day_month_swapped(dob: str) -> str:
    """`1985-03-07` -> `1985-07-03` (the caller checks the day is a month and not the month)."""
    year, month, day = dob.split("-")
    return f"{year}-{day}-{month}"


def can_swap_day_month(dob: str | None) -> bool:
    if not dob:
        return False
    _, month, day = dob.split("-")
    return int(day) <= 12 and day != month


def dob_typo(dob: str, rng: np.random.Generator, latest: date) -> str:
    """One digit of the year's last two, the month or the day changed; still a real date
    between 1900 and `latest` (a date staging rejects would be a defect, not a typo)."""
    tries = [(_DOB_DIGITS[int(rng.integers(len(_DOB_DIGITS)))], int(rng.integers(1, 10)))
             for _ in range(20)]
    # Then every other digit in turn: some change of the day's digits is always a real date.
    tries += [(at, step) for at in _DOB_DIGITS for step in range(1, 10)]
    for at, step in tries:
        typed = dob[:at] + str((int(dob[at]) + step) % 10) + dob[at + 1:]
        if _real_date(typed, latest):
            return typed
    raise ValueError(f"no one-digit typo of {dob} is a date")  # unreachable for real dates


def _real_date(text: str, latest: date) -> bool:
    try:
        return _EARLIEST_BIRTH <= date.fromisoformat(text) <= latest
    except ValueError:
        return False


def postcode_typo(code: str, rng: np.random.Generator) -> str:
    """One digit replaced by another digit, or one letter by another letter (`SW1A` ->
    `SW1B`, `94105` -> `94175`)."""
    places = [i for i, ch in enumerate(code) if ch.isalnum()]
    at = places[int(rng.integers(len(places)))]
    if code[at].isdigit():
        new = str((int(code[at]) + int(rng.integers(1, 10))) % 10)
    else:
        base = ord("A") if code[at].isupper() else ord("a")
        new = chr(base + (ord(code[at]) - base + int(rng.integers(1, 26))) % 26)
    return code[:at] + new + code[at + 1:]
