"""`string_literal` and the audience models, executed for real on DuckDB through dbt: hostile
text (quotes, backslashes, `'; drop table`, Jinja-looking text) from a var, a macro argument or
an audience definition comes back exactly as written, and nothing of it runs as SQL.

One scratch project (this project's macros linked, plus a `hostile_definitions()` macro that
`render_macro` generated from hostile audiences) compiles analyses that reuse the real
audience model files with `audience_definitions()` swapped for `hostile_definitions()`.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import sqlglot
import yaml

from cdp.audiences.compile import CompiledAudience, render_macro
from cdp.audiences.definitions import Arm, Audience
from tests.dbt.scratch_project import PROJECT, PROJECT_DIR, invoke_dbt, write_scratch_project

HOSTILE = [
    "it's", "''", "back\\slash", "trailing\\", "\\'", "\\\\'", "'; drop table x; --",
    "x'); select read_text('/etc/hostname'); --", "{{ 7 * 7 }}", "{% do log('x') %}",
    "{# not a comment #}", "%}", "}}", "émoji 😀 — ü", "tab\tnew\nline", '"double"', "",
]
AUDIENCE_MODELS = ["int_audiences__definitions", "int_audiences__arms"]


def _audience(name: str, text: str, priority: int) -> CompiledAudience:
    """Hostile text in every field: validation would refuse it in names, groups, tags and
    salts, but a hand-edited macro bypasses validation, so the models must quote it all."""
    audience = Audience(
        name=name, description=text, owner=f"owner {text}", rule="orders > 0",
        path=Path(f"{name}.yml"), salt=f"salt {text}", group=f"group {text}", priority=priority,
        tags=(text, "seed"), exclude=(f"not {text}",),
        arms=(Arm("holdout", 0, 1000, True), Arm(f"arm {text}", 1000, 10_000, False)))
    rule = f"'{text.replace(chr(39), chr(39) * 2)}' IS NOT NULL"  # a rule holding the text
    return CompiledAudience(audience, dict.fromkeys(("duckdb", "postgres", "spark"), rule),
                            frozenset())


COMPILED = [_audience(f"hostile_{i}", text, i) for i, text in enumerate(HOSTILE)]


@pytest.fixture(scope="module")
def scratch_root(tmp_path_factory) -> Path:
    """The scratch project: hostile texts as a var, hostile audiences as a macro, analyses."""
    root = tmp_path_factory.mktemp("string_literal_project")
    write_scratch_project(root)
    project = yaml.safe_load((root / "dbt_project.yml").read_text())
    project["macro-paths"].append("test_macros")
    project["vars"]["hostile_texts"] = HOSTILE
    (root / "dbt_project.yml").write_text(yaml.safe_dump(project, sort_keys=False))
    (root / "test_macros").mkdir()
    macro = render_macro(COMPILED).replace("audience_definitions()", "hostile_definitions()")
    (root / "test_macros" / "hostile_definitions.sql").write_text(macro, encoding="utf-8")
    analyses = root / "analyses"
    analyses.mkdir()
    columns = [f"{{{{ string_literal(var('hostile_texts')[{i}]) }}}} as t{i}"
               for i in range(len(HOSTILE))]
    (analyses / "from_var.sql").write_text("select " + ", ".join(columns))
    # Macro arguments, Jinja-looking text included, straight from a template.
    (analyses / "from_argument.sql").write_text(
        "select {{ string_literal(\"it's {{ x }} {% y %} \\\\ \") }} as t,"
        " {{ string_literal(42) }} as n")
    spark = [f"{{{{ cdp.spark__string_literal(var('hostile_texts')[{i}]) }}}}"
             for i in range(len(HOSTILE))]
    (analyses / "spark.sql").write_text("select " + ", ".join(spark))
    for model in AUDIENCE_MODELS:
        path = PROJECT_DIR / "models" / "intermediate" / "audiences" / f"{model}.sql"
        sql = path.read_text().replace("audience_definitions()", "hostile_definitions()")
        (analyses / f"{model}.sql").write_text(sql)
    return root


@pytest.fixture(scope="module")
def compiled_sql(scratch_root) -> dict[str, str]:
    """One `dbt compile` of the analyses; returns analysis name -> compiled SQL."""
    result = invoke_dbt(scratch_root, "compile")
    assert result.success, f"dbt compile failed: {result.exception or result.result}"
    compiled = scratch_root / "target" / "compiled" / PROJECT["name"] / "analyses"
    return {path.stem: path.read_text() for path in compiled.glob("*.sql")}


def _query(sql: str) -> list[tuple]:
    with duckdb.connect() as con:
        return con.execute(sql).fetchall()


def test_var_text_round_trips_exactly(compiled_sql):
    assert _query(compiled_sql["from_var"]) == [tuple(HOSTILE)]


def test_macro_argument_round_trips_exactly(compiled_sql):
    assert _query(compiled_sql["from_argument"]) == [("it's {{ x }} {% y %} \\ ", "42")]


def test_spark_literals_escape_backslashes_then_quotes(compiled_sql):
    """Spark reads backslash escapes in literals (sqlglot's Spark reader does the same)."""
    expected = ["'" + t.replace("\\", "\\\\").replace("'", "\\'") + "'" for t in HOSTILE]
    assert compiled_sql["spark"].strip() == "select " + ", ".join(expected)
    select = sqlglot.parse_one(compiled_sql["spark"], read="spark")
    assert [literal.this for literal in select.expressions] == HOSTILE


def test_audience_definitions_keep_hostile_text_as_data(compiled_sql):
    rows = _query(compiled_sql["int_audiences__definitions"] + " order by group_priority")
    assert rows == [(
        f"hostile_{i}", t, f"owner {t}", f"group {t}", i, f"{t},seed", f"not {t}", f"salt {t}",
        COMPILED[i].rules["duckdb"],
    ) for i, t in enumerate(HOSTILE)]


def test_audience_arms_keep_hostile_names_as_data(compiled_sql):
    rows = _query(compiled_sql["int_audiences__arms"] + " order by 1, 3")
    assert sorted(rows) == sorted(row for i, t in enumerate(HOSTILE) for row in [
        (f"hostile_{i}", "holdout", 0, 1000, True),
        (f"hostile_{i}", f"arm {t}", 1000, 10_000, False)])


def test_non_integer_numbers_are_a_compile_error(scratch_root, compiled_sql, capfd):
    """A hand-edited definitions macro cannot paste text where a number goes (Jinja's `int`
    filter would silently give 0)."""
    capfd.readouterr()
    result = invoke_dbt(scratch_root, "compile", "--inline",
                        "select {{ audience_integer('1; drop table x', 'a priority') }}")
    assert not result.success
    assert "a priority: expected an integer, got 1; drop table x" in capfd.readouterr().out
