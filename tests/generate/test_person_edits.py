"""The contacts-only edits one value at a time, the kind draw, the nickname seed, profiles."""

from __future__ import annotations

import csv
from datetime import date

import numpy as np
import pytest

from cdp.generate.contacts_only import edits
from cdp.generate.contacts_only.kinds import KINDS, draw_kinds
from cdp.generate.contacts_only.nicknames import (
    NICKNAMES_CSV,
    name_key,
    read_nicknames,
    written_nickname,
)
from cdp.generate.profiles import UnknownProfile, checked_profile
from cdp.generate.vocab_people import FIRST_NAMES


@pytest.mark.parametrize("dob", ["1980-02-29", "1999-12-31", "1900-01-01", "2004-10-10"])
def test_a_dob_typo_is_one_digit_and_still_a_real_date(dob):
    rng = np.random.default_rng(3)
    for _ in range(200):
        typed = edits.dob_typo(dob, rng, latest=date(2026, 10, 31))
        assert sum(a != b for a, b in zip(typed, dob, strict=True)) == 1
        assert date(1900, 1, 1) <= date.fromisoformat(typed) <= date(2026, 10, 31)


@pytest.mark.parametrize("code", ["94105", "94105-1234", "SW1A 1AA", "04103"])
def test_a_postcode_typo_replaces_one_digit_by_a_digit_or_a_letter_by_a_letter(code):
    rng = np.random.default_rng(5)
    for _ in range(100):
        typed = edits.postcode_typo(code, rng)
        [(was, now)] = [(a, b) for a, b in zip(code, typed, strict=True) if a != b]
        assert was.isdigit() == now.isdigit() and was.isupper() == now.isupper()


@pytest.mark.parametrize(("line", "switched"), [
    ("12 Baker Street", "12 Baker St"), ("12 Baker St", "12 Baker Street"),
    ("5 Park Avenue", "5 Park Ave"), ("9 Station Road", "9 Station Rd"),
    ("Hauptstraße 12a", "Hauptstr. 12a"), ("Uhlandstr. 3", "Uhlandstraße 3"),
    ("80 avenue Victor Hugo", "80 av. Victor Hugo"), ("3 bd Voltaire", "3 boulevard Voltaire"),
])
def test_street_words_are_abbreviated_or_expanded(line, switched):
    assert edits.has_street_word(line)
    assert edits.street_words_switched(line) == switched


@pytest.mark.parametrize("line", ["7 Stationers Way", "3 Church Close", "12 Strand", None])
def test_lines_without_a_street_word_are_left_to_other_kinds(line):
    assert not edits.has_street_word(line)


def test_truncation_and_day_month_swap():
    assert {edits.truncated("Robert", r) for r in range(6)} == {"R", "R.", "Rob", "Robe"}
    assert {edits.truncated("Ann", r) for r in range(6)} == {"A", "A."}
    assert edits.day_month_swapped("1985-03-07") == "1985-07-03"
    assert edits.can_swap_day_month("1985-03-07")
    assert not edits.can_swap_day_month("1985-03-13")  # no 13th month
    assert not edits.can_swap_day_month("1985-04-04")  # the same date


def test_the_draw_keeps_one_kind_per_field_and_only_where_it_applies():
    applies = np.random.default_rng(1).random((5_000, len(KINDS))) < 0.7
    chosen = draw_kinds(np.random.default_rng(2), applies)
    assert not (chosen & ~applies).any()
    assert chosen.any(axis=1).all()
    for field in {f for kind in KINDS for f in kind.fields}:
        touching = [k for k, kind in enumerate(KINDS) if field in kind.fields]
        assert chosen[:, touching].sum(axis=1).max() == 1


def test_the_nickname_seed_is_lower_case_unique_and_covers_the_common_first_names():
    with NICKNAMES_CSV.open(encoding="utf-8", newline="") as handle:
        pairs = [(r["nickname"], r["given_name"]) for r in csv.DictReader(handle)]
    assert len(pairs) == len(set(pairs)) >= 150
    assert all(name == name_key(name) and name for pair in pairs for name in pair)
    nicknames = read_nicknames()
    for names in FIRST_NAMES.values():  # lists start with the most common names
        common = names[:15]
        assert sum(name_key(n) in nicknames for n in common) >= 9, names[:15]
    assert written_nickname("bob") == "Bob" and written_nickname("anne-so") == "Anne-So"
    assert written_nickname("jb") == "JB"


def test_profiles():
    assert checked_profile("contacts-only") == "contacts-only"
    with pytest.raises(UnknownProfile, match="did you mean 'default'"):
        checked_profile("defualt")
    with pytest.raises(UnknownProfile, match=r"^unknown profile 'x' \(profiles: default, "):
        checked_profile("x")
