"""The generator is deterministic, and its ground truth covers every row it writes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cdp.generate import generate_sources
from cdp.generate.config import SOURCES
from tests.generate.raw_files import PERSONS, SEED, read_source


def _digests(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


def test_same_seed_writes_the_same_bytes(generated, tmp_path):
    generate_sources(tmp_path, PERSONS, seed=SEED, show_progress=False)
    assert _digests(tmp_path) == _digests(generated.raw_dir)


def test_another_seed_writes_other_data(generated, tmp_path):
    generate_sources(tmp_path, PERSONS, seed=SEED + 1, show_progress=False)
    ours, theirs = _digests(generated.raw_dir), _digests(tmp_path)
    assert all(ours[s.path] != theirs[s.path] for s in SOURCES)


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.table)
def test_truth_has_exactly_one_row_per_data_row(generated, source):
    rows = len(read_source(generated.raw_dir, source))
    assert rows > 0
    assert generated.manifest["files"][source.path] == rows
    [(count, first, last, distinct, files)] = generated.truth(
        "select count(*), min(source_row), max(source_row), count(distinct source_row),"
        f" list(distinct source_file) from truth where source_table = '{source.table}'"
    )
    assert (count, first, last, distinct, files) == (rows, 1, rows, rows, [source.path])


def test_every_record_belongs_to_a_true_person(generated):
    assert generated.truth("select count(*) from persons") == [(PERSONS,)]
    assert generated.truth(
        "select count(*) from truth where person_id not in (select person_id from persons)"
        " or person_id is null"
    ) == [(0,)]


def test_true_identifiers_are_the_persons_own(generated):
    """A row's true email/phone is one of its person's (households share landlines only)."""
    assert generated.truth(
        "select count(*) from truth join persons using (person_id)"
        " where (true_email is not null and not list_contains(emails, true_email))"
        " or (true_phone is not null and not list_contains(phones, true_phone))"
    ) == [(0,)]


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.table)
def test_about_one_percent_of_rows_are_malformed_each_with_a_known_check(generated, source):
    [(rows, defects)] = generated.truth(
        "select count(*), count(defect) from truth"
        f" where source_table = '{source.table}'"
    )
    assert 1 <= defects <= max(2, 0.02 * rows)
    if rows >= 1_000:
        assert defects >= 0.005 * rows
    injected = {
        (code, column) for code, column in generated.truth(
            "select distinct defect, defect_column from truth"
            f" where source_table = '{source.table}' and defect is not null"
        )
    }
    allowed = {(code, column) for code, columns in source.checks for column in columns}
    assert injected <= allowed


def test_every_kind_of_defect_is_injected_somewhere(generated):
    injected = {code for (code,) in generated.truth("select distinct defect from truth")}
    assert injected - {None} == {code for source in SOURCES for code in source.codes}
