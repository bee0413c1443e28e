"""The PII masking macros, executed for real on DuckDB through dbt (a scratch project, one
`dbt compile`), on edge cases the demo data does not hold: short values, values that are not
what the tag says, several words, non-ASCII. PostgreSQL and Spark give the same text: the
engine equivalence test compares the masked views built on each."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.dbt.scratch_project import PROJECT, invoke_dbt, write_scratch_project
from tests.dbt.test_cleaning_macros import MacroTable, _analysis, _mismatches, _run


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


TABLES = {
    "emails": MacroTable(
        inputs=("value",),
        outputs={"masked": "{{ mask_pii('value', 'email') }}"},
        cases=[("chloe.smith@yahoo.co.uk", "c***@yahoo.co.uk"), ("a@b.io", "a***@b.io"),
               ("élodie@free.fr", "é***@free.fr"), ("a@b@c.com", "a***@b@c.com"),
               ("@nolocal.com", "***"), ("not an email", "***"), ("", "***"), (None, None)],
    ),
    "phones": MacroTable(
        inputs=("value",),
        outputs={"masked": "{{ mask_pii('value', 'phone') }}"},
        cases=[("+447762135155", "+**********55"), ("(713) 656-6052", "(***) ***-**52"),
               ("123", "*23"), ("12", "**"), ("7", "*"), (None, None)],
    ),
    "names": MacroTable(
        inputs=("value",),
        outputs={"masked": "{{ mask_pii('value', 'name') }}"},
        cases=[("Chloe", "C."), ("Mary Ann", "M. A."), (" O'Neil-Smith ", "O."),
               ("Zoë  van Dijk", "Z.  v. D."), ("Łukasz", "Ł."), (None, None)],
    ),
    "hashes": MacroTable(
        inputs=("value",),
        outputs={"identifier": "{{ mask_pii('value', 'identifier') }}",
                 "ip": "{{ mask_pii('value', 'ip') }}"},
        cases=[("ann@x.com", _sha("ann@x.com"), _sha("ann@x.com")),
               ("Zoë", _sha("Zoë"), _sha("Zoë")), ("", _sha(""), _sha("")),
               (None, None, None)],
    ),
    "nulled": MacroTable(
        inputs=("value",),
        outputs={"address": "{{ mask_pii('value', 'address') }}",
                 "free_text": "{{ mask_pii('value', 'free_text') }}"},
        cases=[("1 High Street", None, None), ('{"email": "a@b.io"}', None, None)],
    ),
    "birth_dates": MacroTable(
        inputs=("value",),
        outputs={"year": "{{ mask_pii('cast(value as date)', 'birth_date') }}"},
        cases=[("1980-02-29", 1980), ("2001-12-31", 2001), (None, None)],
    ),
}


@pytest.fixture(scope="module")
def compiled_sql(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("masking_project")
    write_scratch_project(root)
    (root / "analyses").mkdir()
    for name, table in TABLES.items():
        (root / "analyses" / f"{name}.sql").write_text(_analysis(table))
    result = invoke_dbt(root, "compile")
    assert result.success, f"dbt compile failed: {result.exception or result.result}"
    compiled = root / "target" / "compiled" / PROJECT["name"] / "analyses"
    return {name: (compiled / f"{name}.sql").read_text() for name in TABLES}


@pytest.mark.parametrize("name", TABLES)
def test_masking_cases(name: str, compiled_sql: dict[str, str]) -> None:
    table = TABLES[name]
    assert _mismatches(table, _run(compiled_sql[name], table)) == []


def test_an_unknown_kind_fails_compilation(tmp_path) -> None:
    write_scratch_project(tmp_path)
    (tmp_path / "analyses").mkdir()
    (tmp_path / "analyses" / "typo.sql").write_text("select {{ mask_pii('x', 'emial') }}")
    result = invoke_dbt(tmp_path, "compile")
    assert not result.success
    assert "meta.pii 'emial' is not a PII kind" in str(result.exception or result.result)


@pytest.mark.parametrize(("role", "expected"), [
    ("bi_reader", "grant select on"), ("bi; drop schema marts", "is not a role name"),
    ("BI", "is not a role name")])
def test_the_bi_role_is_granted_only_when_it_is_a_role_name(tmp_path, role, expected) -> None:
    write_scratch_project(tmp_path)
    (tmp_path / "analyses").mkdir()
    (tmp_path / "analyses" / "grants.sql").write_text(
        "{{ cdp.postgres__grant_pii_masked_access() }}")
    result = invoke_dbt(tmp_path, "compile", "--vars", json.dumps({"cdp_bi_role": role}))
    if result.success:
        compiled = next((tmp_path / "target" / "compiled").rglob("grants.sql")).read_text()
        assert compiled.startswith("grant usage on schema")
        assert f"{expected} " in compiled and compiled.endswith(f" to {role}")
    else:
        assert expected in str(result.exception or result.result)
