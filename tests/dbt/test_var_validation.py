"""Definition-file values (dbt vars) never reach SQL unchecked.

The validation macros (`checked_identifier`, `checked_number`, `checked_date`, `checked_list`)
run for real in a scratch project that links this project's macros (one model per case, one
`dbt run`, so each refused value fails on its own): good values come back as they were
(numbers as numbers), hostile ones (`'; drop table x; --`, `1 or 1=1`, `true` for a number,
`10abc`, unicode lookalikes) are a one-line compiler error naming the var. The values come
from scratch vars, as YAML gives them. Then scratch models parsing dates and phones with a
hostile `cdp_valid_date_range` / `cdp_phone_countries` override fail before anything runs,
and the real project compiles with its shipped vars but refuses hostile `--vars` with a
one-line compiler error.
"""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.dbt.scratch_project import PROJECT, PROJECT_DIR, invoke_dbt, write_scratch_project

HOSTILE = ["'; drop table x; --", "1 or 1=1"]
CYRILLIC_E = "\u0435"  # looks like `e`
FULLWIDTH = str.maketrans("0123456789", "".join(chr(0xFF10 + d) for d in range(10)))
IDENTIFIER = "lower_snake_case identifier"

# (var name, values, Jinja call with `{value}` and `{what}` placeholders, error fragment).
REFUSED = {
    "bad_identifiers": (
        [*HOSTILE, "ads; drop", "User_ID", "9lives", "user-id", f"us{CYRILLIC_E}r_id", "user_id\n",
         "", "x" * 64, "\u00f9ser", 42, True, None, ["user_id"]],
        "checked_identifier({value}, {what})", IDENTIFIER),
    "bad_numbers": (
        [*HOSTILE, True, False, "10abc", "10".translate(FULLWIDTH), "\u0663", " 30", "30 ",
         "1e3", "0x1f", "", None, [1], {"a": 1}, float("nan"), float("inf"), "- 1"],
        "checked_number({value}, {what})", "expected a number"),
    "bad_integers": (
        [*HOSTILE, True, "10abc", 2.5, "2.5", 30.0, "30".translate(FULLWIDTH)],
        "checked_number({value}, {what}, integer=true)", "expected an integer"),
    "below_minimum": (
        [-1, "-1", -0.5],
        "checked_number({value}, {what}, minimum=0)", "expected a number of at least 0"),
    "bad_dates": (
        [*HOSTILE, "2000-01-01'; drop table x; --", "2000-13-01", "2000-01-32",
         "2000-01-01 25:00:00", "2000-01-01 10:00", "20000101",
         "2000".translate(FULLWIDTH) + "-01-01", "2000-01-01\n",
         "2000-01-01 00:00:00+01:00", "2000-01-01 00:00:00.1234567", 20000101, True, None, ""],
        "checked_date({value}, {what})", "is not a date (YYYY-MM-DD)"),
    "bad_lists": (
        ["user_id", {"user_id": 1}, None, 5],
        "checked_list({value}, {what})", "expected a list"),
    "bad_pairs": (
        [["marketing"], ["marketing", "email", "sms"], "ab"],
        "checked_list({value}, {what}, length=2)", "expected a list of 2 items"),
}


def _call(template: str, var_name: str, index: int) -> str:
    return template.format(value=f"var('{var_name}')[{index}]",
                           what=f"'var {var_name}[{index}]'")


REFUSED_CASES = [(name, i) for name, (values, _, _) in REFUSED.items()
                 for i in range(len(values))]

# Good values: (Jinja expression, value DuckDB reads back from the compiled SQL).
ACCEPTED = {
    "identifier": ("string_literal(checked_identifier('user_id', 'w'))", "user_id"),
    "identifier_underscore": ("string_literal(checked_identifier('_x9', 'w'))", "_x9"),
    "identifier_63": (f"string_literal(checked_identifier('{'a' * 63}', 'w'))", "a" * 63),
    "integer": ("checked_number(30, 'w', integer=true)", 30),
    "integer_text": ("checked_number('30', 'w', integer=true, minimum=1)", 30),
    "negative_text": ("checked_number('-2', 'w', integer=true)", -2),
    "zero_minimum": ("checked_number(0, 'w', integer=true, minimum=0)", 0),
    "float": ("checked_number(0.15, 'w')", Decimal("0.15")),
    "float_text": ("checked_number('0.15', 'w', minimum=0)", Decimal("0.15")),
    "int_as_number": ("checked_number(7, 'w')", 7),
    "text_is_a_number": ("checked_number('30', 'w', integer=true) + 1", 31),
    "date": ("string_literal(checked_date('2000-01-01', 'w'))", "2000-01-01"),
    "timestamp": ("string_literal(checked_date('2026-11-01 00:00:00', 'w'))",
                  "2026-11-01 00:00:00"),
    "timestamp_t": ("string_literal(checked_date('2026-11-01T08:30:00.123456', 'w'))",
                    "2026-11-01T08:30:00.123456"),
    "list": ("checked_list(['a', 'b'], 'w', length=2) | length", 2),
    # Unquoted YAML dates and timestamps are parsed by YAML; they count by their text.
    "yaml_date": ("string_literal(checked_date(var('yaml_dates')[0], 'w'))", "2026-11-01"),
    "yaml_timestamp": ("string_literal(checked_date(var('yaml_dates')[1], 'w'))",
                       "2026-11-01 08:30:00"),
}


# The quoting macros switched from dbt.escape_single_quotes to string_literal: on DuckDB and
# PostgreSQL (default__) the SQL is byte-identical to the old `'` doubling.
PATTERNS = ["^[0-9]+$", "it's", "back\\slash", "trailing\\", "'; drop table x; --", "(?i)\\s+"]
PORTABLE = {
    "regexp_like": ("cdp.default__regexp_like('x', {p})",
                    lambda p: f"regexp_like(x, '{p.replace(chr(39), chr(39) * 2)}')"),
    "duckdb_regexp_like": ("cdp.duckdb__regexp_like('x', {p})",
                           lambda p: f"regexp_matches(x, '{p.replace(chr(39), chr(39) * 2)}')"),
    "regexp_replace_all": (
        "cdp.default__regexp_replace_all('x', {p}, {p})",
        lambda p: "regexp_replace(x, '{0}', '{0}', 'g')".format(p.replace("'", "''"))),
    "json_path": ("json_path(['a', {p}])",
                  lambda p: "'$.\"a\".\"{}\"'".format(p.replace("'", "''"))),
}


@pytest.fixture(scope="module")
def scratch_root(tmp_path_factory) -> Path:
    """A model of the accepted values and one per refused value; the checks only run at
    compile time (`execute`), so each refused model fails on its own, not the whole parse."""
    root = tmp_path_factory.mktemp("var_validation_project")
    write_scratch_project(root)
    project = yaml.safe_load((root / "dbt_project.yml").read_text())
    project["vars"].update({name: values for name, (values, _, _) in REFUSED.items()})
    project["vars"]["yaml_dates"] = [date(2026, 11, 1), datetime(2026, 11, 1, 8, 30)]
    project["vars"]["patterns"] = PATTERNS
    (root / "dbt_project.yml").write_text(yaml.safe_dump(project, sort_keys=False))
    models = root / "models"
    models.mkdir()
    columns = [f"{{{{ {expr} }}}} as {name}" for name, (expr, _) in ACCEPTED.items()]
    (models / "accepted.sql").write_text("select " + ", ".join(columns))
    portable = ["{{ string_literal(" + expr.format(p=f"var('patterns')[{i}]") + ") }}"
                for i in range(len(PATTERNS)) for expr, _ in PORTABLE.values()]
    (models / "portable.sql").write_text("select " + ", ".join(portable))
    for name, index in REFUSED_CASES:
        call = _call(REFUSED[name][1], name, index)
        (models / f"{name}_{index}.sql").write_text(
            f"{{% if execute %}}select {{{{ {call} }}}} as refused{{% endif %}}")
    return root


@pytest.fixture(scope="module")
def compiled(scratch_root) -> dict[str, tuple[str, str]]:
    """One `dbt run` of every case (`dbt compile` would stop at the first error); returns
    model name -> (status, message)."""
    result = invoke_dbt(scratch_root, "run")
    assert result.result is not None, f"dbt run did not start: {result.exception}"
    return {r.node.name: (str(r.status), r.message or "") for r in result.result.results}


def _built(scratch_root, compiled, model: str) -> tuple[str, tuple]:
    """A scratch model that must have built: its compiled SQL and the row it selects."""
    assert compiled[model][0] == "success", compiled[model]
    sql = (scratch_root / "target" / "compiled" / PROJECT["name"] / "models"
           / f"{model}.sql").read_text()
    with duckdb.connect() as con:
        return sql, con.execute(sql).fetchone()


def test_accepted_values_come_back_unchanged(scratch_root, compiled):
    sql, row = _built(scratch_root, compiled, "accepted")
    assert dict(zip(ACCEPTED, row, strict=True)) == {
        name: expected for name, (_, expected) in ACCEPTED.items()}
    # Numbers are pasted as Python renders them: identical SQL for valid values.
    assert "30 as integer, 30 as integer_text, -2 as negative_text" in sql
    assert "0.15 as float, 0.15 as float_text, 7 as int_as_number" in sql


def test_quoting_macros_keep_their_sql(scratch_root, compiled):
    _sql, row = _built(scratch_root, compiled, "portable")
    assert list(row) == [expected(p) for p in PATTERNS for _, expected in PORTABLE.values()]


@pytest.mark.parametrize(("name", "index"), REFUSED_CASES,
                         ids=[f"{name}[{index}]" for name, index in REFUSED_CASES])
def test_refused_values_are_a_compiler_error_naming_the_var(compiled, name, index):
    status, message = compiled[f"{name}_{index}"]
    assert status == "error", f"{REFUSED[name][0][index]!r} was accepted"
    lines = [line.strip() for line in message.splitlines() if f"var {name}[{index}]" in line]
    assert len(lines) == 1, message
    line = lines[0]
    assert line.startswith(f"var {name}[{index}]: "), message
    assert REFUSED[name][2] in line, message
    assert "Traceback" not in message


def test_lookalikes_and_control_characters_are_shown_escaped(compiled):
    """The message shows what is wrong with a value that looks right."""
    values = REFUSED["bad_identifiers"][0]
    cyrillic = compiled[f"bad_identifiers_{values.index(f'us{CYRILLIC_E}r_id')}"][1]
    assert "'us\\u0435r_id' is not a lower_snake_case identifier" in cyrillic
    newline = compiled[f"bad_identifiers_{values.index('user_id' + chr(10))}"][1]
    assert "'user_id\\n' is not a lower_snake_case identifier" in newline
    hostile = compiled["bad_numbers_0"][1]
    assert "var bad_numbers[0]: expected a number, got ''; drop table x; --'" in hostile
    assert "var bad_numbers[2]: expected a number, got true" in compiled["bad_numbers_2"][1]


def test_number_filters_would_have_hidden_the_errors():
    """Why checked_number exists: Jinja's filters turn these into 0 without a word."""
    from jinja2 import Environment

    render = Environment().from_string("{{ value | int }},{{ value | float }}").render
    for value in ["10abc", "1 or 1=1", "'; drop table x; --"]:
        assert render(value=value) == "0,0.0"


# ---------- hostile var overrides through the real macros: nothing runs

MODELS = {
    "parsed_dates": """select
    {{ parse_date("'1850-01-01'", '%Y-%m-%d') }} as too_old,
    {{ parse_date("'2000-01-01'", '%Y-%m-%d') }} as fine
""",
    "phones": "select {{ normalize_phone(\"'020 7946 0958'\", \"'GB'\") }} as e164",
}
GB = PROJECT["vars"]["cdp_phone_countries"]["GB"]


def _phones(**spec) -> dict:
    return {"cdp_phone_countries": {"GB": {**GB, **spec}}}


@pytest.fixture(scope="module")
def override_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("var_override_project")
    write_scratch_project(root)
    (root / "models").mkdir()
    for name, sql in MODELS.items():
        (root / "models" / f"{name}.sql").write_text(sql)
    return root


def _tables(database: Path) -> set[str]:
    if not database.exists():
        return set()
    with duckdb.connect(str(database)) as con:  # same config: dbt-duckdb keeps it open
        return {name for (name,) in con.execute(
            "select table_name from information_schema.tables").fetchall()}


@pytest.mark.parametrize(("override", "expected"), [
    ({"cdp_valid_date_range": ["1900-01-01' as date); create table pwned as select 1; --",
                               "2100-01-01"]},
     "var cdp_valid_date_range[0]: '1900-01-01' as date); create table pwned as select 1; --'"
     " is not a date (YYYY-MM-DD) or timestamp (YYYY-MM-DD HH:MM:SS)"),
    ({"cdp_valid_date_range": ["1900-01-01", "2100-01-01\\' as date) or true or cast('x"]},
     "var cdp_valid_date_range[1]: '2100-01-01\\\\' as date) or true or cast('x' is not a date"),
    ({"cdp_valid_date_range": ["1900".translate(FULLWIDTH) + "-01-01", "2100-01-01"]},
     "var cdp_valid_date_range[0]: '\\uff11\\uff19\\uff10\\uff10-01-01' is not a date"),
    ({"cdp_valid_date_range": "1900-01-01"},
     "var cdp_valid_date_range: expected a list of 2 items, got '1900-01-01'"),
    (_phones(calling_code="44')|(.*"),
     "var cdp_phone_countries.GB.calling_code: '44')|(.*' is not a calling code (1-3 digits)"),
    (_phones(trunk_prefix=0),
     "var cdp_phone_countries.GB.trunk_prefix: 0 is not a quoted string of at most 4 digits"),
    (_phones(min_length="9} or 1=1"),
     "var cdp_phone_countries.GB.min_length: expected an integer, got '9} or 1=1'"),
    (_phones(max_length=8),
     "var cdp_phone_countries.GB.max_length: expected an integer of at least 9, got 8"),
], ids=["date_quote", "date_backslash", "date_fullwidth", "date_not_a_list", "calling_code",
        "trunk_number", "min_length", "max_below_min"])
def test_hostile_override_fails_before_anything_runs(override_root, capfd, override, expected):
    capfd.readouterr()
    result = invoke_dbt(override_root, "run", "--vars", yaml.safe_dump(override))
    output = capfd.readouterr().out + str(result.exception or "")
    assert not result.success
    lines = {line.strip() for line in output.splitlines() if expected in line}
    assert len(lines) == 1, output
    assert lines.pop().startswith(expected.split(":")[0] + ": "), output
    assert not {"pwned", *MODELS} & _tables(override_root / "scratch.duckdb")


def test_shipped_vars_run(override_root):
    result = invoke_dbt(override_root, "run")
    assert result.success, result.exception or result.result
    with duckdb.connect(str(override_root / "scratch.duckdb")) as con:
        dates = con.execute("select too_old, cast(fine as varchar) from parsed_dates").fetchone()
        phone = con.execute("select e164 from phones").fetchone()
    assert dates == (None, "2000-01-01")
    assert phone == ("+442079460958",)
    assert "pwned" not in _tables(override_root / "scratch.duckdb")


# ---------- the real project: shipped vars compile, hostile overrides are one-line errors

def _compile_project(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    """`dbt compile` of this project as the brief's command, its target/logs (and the partial
    parse state) in tmp_path so the working tree's target/ is left alone."""
    dbt = Path(sys.executable).with_name("dbt")
    env = {**os.environ, "CDP_DUCKDB_PATH": str(tmp_path / "compile.duckdb"),
           "CDP_TARGET": "duckdb", "CDP_THREADS": "1"}
    return subprocess.run(
        [str(dbt), "compile", "--project-dir", str(PROJECT_DIR),
         "--profiles-dir", str(PROJECT_DIR), "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs"), *extra],
        capture_output=True, text=True, env=env, cwd=PROJECT_DIR, timeout=600, check=False)


def test_project_compiles_with_shipped_vars(tmp_path):
    completed = _compile_project(tmp_path)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]


@pytest.mark.parametrize(("override", "expected"), [
    ({"cdp_reporting_currency": "USD'; drop table x; --"},
     "var cdp_reporting_currency: 'USD'; drop table x; --' is not an ISO 4217 currency code"),
    ({"cdp_consent_purposes": [["marketing", "email"], ["ads; drop", "web"]]},
     "var cdp_consent_purposes[1][0]: 'ads; drop' is not a lower_snake_case identifier"),
    ({"cdp_lifecycle": {"repeat_min_orders": 2, "lapsed_after_days": "180 or 1=1",
                        "churned_after_days": 365}},
     "var cdp_lifecycle.lapsed_after_days: expected an integer, got '180 or 1=1'"),
    ({"cdp_as_of": "2026-01-01' as timestamp) as as_of_at; drop table x; --"},
     "var cdp_as_of: '2026-01-01' as timestamp) as as_of_at; drop table x; --' is not a date"),
    ({"cdp_identity_types": ["user_id", "email' or 1=1 --"]},
     "var cdp_identity_types[1]: 'email' or 1=1 --' is not a lower_snake_case identifier"),
    ({"cdp_identity_fuzzy": {"blocking_rules": [{"name": "names", "keys": ["first_name_key"],
                                                 "max_block_size": "50 or 1=1"}],
                             "max_block_size": 200, "u_sample_pairs": 1000, "em_iterations": 5,
                             "match_threshold": 0.95}},
     "var cdp_identity_fuzzy.blocking_rules[0].max_block_size: expected an integer, got"
     " '50 or 1=1'"),
], ids=["currency", "consent_purpose", "lifecycle_days", "as_of", "identity_types",
        "rule_block_size"])
def test_project_refuses_hostile_vars_with_one_line(tmp_path, override, expected):
    completed = _compile_project(tmp_path, "--vars", yaml.safe_dump(override))
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0, output[-3000:]
    lines = [line.strip() for line in output.splitlines() if expected in line]
    assert len(lines) == 1, output[-3000:]
    assert "Compilation Error" in output
    assert "Traceback" not in output
