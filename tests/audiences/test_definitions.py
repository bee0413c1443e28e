"""Audience YAML: every definition problem gets a clear error, arms are cut as requested, the
generated macro is current and loads as data, and the CLI reports the same."""

from __future__ import annotations

import textwrap

import jinja2
import pytest
from typer.testing import CliRunner

from cdp import settings
from cdp.audiences.compile import compile_audiences, is_up_to_date, render_macro
from cdp.audiences.definitions import DefinitionError, load_audiences
from cdp.audiences.validate import validate_audiences
from cdp.cli import app

VALID = """
name: {name}
description: Test audience.
owner: team@example.com
rule: orders > 0
"""


def _write(folder, name: str, body: str) -> None:
    (folder / f"{name}.yml").write_text(textwrap.dedent(body), encoding="utf-8")


@pytest.mark.parametrize(("body", "message"), [
    (VALID + "holdut: 10\n", "unknown key 'holdut' (did you mean 'holdout'?)"),
    ("name: a\ndescription: x\nowner: y\n", "missing required key 'rule'"),
    (VALID.replace("name: {name}", "name: Other"), "must be lower_snake_case and equal"),
    (VALID + "holdout: 100\n", "holdout must be a percentage in [0, 100)"),
    (VALID + "variants: [{name: x, share: 60}, {name: y, share: 30}]\n", "add up to 100"),
    (VALID + "variants: [{name: holdout, share: 100}]\n", "not 'holdout'"),
    (VALID + "exclude: [paid_subscriber]\n", "unknown audience 'paid_subscriber'"),
    (VALID + "group: tiers\n", "needs an integer priority"),
    (VALID + "priority: 1\n", "only meaningful with a group"),
    (VALID + "rule: [1, 2\n", "not valid YAML"),
])
def test_definition_errors_name_the_file_and_the_problem(tmp_path, body, message):
    _write(tmp_path, "a", body.replace("{name}", "a"))
    with pytest.raises(DefinitionError) as error:
        load_audiences(tmp_path)
    assert "a.yml" in str(error.value) and message in str(error.value)


def test_group_priorities_must_be_distinct(tmp_path):
    for name in ("a", "b"):
        _write(tmp_path, name, VALID.format(name=name) + "group: tiers\npriority: 1\n")
    with pytest.raises(DefinitionError, match="priority 1 of group 'tiers' is already taken"):
        load_audiences(tmp_path)


def test_holdout_and_variants_become_bucket_ranges(tmp_path):
    _write(tmp_path, "a", VALID.format(name="a") + textwrap.dedent("""
        holdout: 10
        variants: [{name: x, share: 50}, {name: y, share: 50}]
    """))
    [audience] = load_audiences(tmp_path)
    assert [(a.name, a.lower, a.upper, a.is_holdout) for a in audience.arms] == [
        ("holdout", 0, 1000, True), ("x", 1000, 5500, False), ("y", 5500, 10000, False)]
    assert audience.salt == "a"


def test_validate_lists_every_problem_at_once(tmp_path):
    _write(tmp_path, "a", VALID.format(name="a").replace("orders > 0", "order > 0"))
    _write(tmp_path, "b", VALID.format(name="b") + "holdout: -5\n")
    _write(tmp_path, "c", VALID.format(name="c").replace("orders > 0", "orders > (select 1)"))
    errors = validate_audiences(tmp_path)
    assert len(errors) == 3
    assert any("audience 'a'" in e and "unknown column 'order' (did you mean 'orders'?)" in e
               for e in errors)
    assert any("b.yml" in e and "holdout must be a percentage" in e for e in errors)
    assert any("audience 'c'" in e and "subqueries are not allowed" in e for e in errors)


def test_the_committed_macro_is_current_and_renders_the_definitions():
    folder = settings.audiences_dir()
    assert is_up_to_date(folder), "run `cdp audiences compile`"
    compiled = compile_audiences(folder)
    macro = render_macro(compiled)
    literal = macro.split("{{ return(", 1)[1].rsplit(") }}", 1)[0]
    rendered = jinja2.Environment().from_string(
        "{% set d = " + literal + " %}{{ d | map(attribute='name') | join(',') }}").render()
    assert rendered.split(",") == [c.audience.name for c in compiled]
    assert {c.audience.name for c in compiled} >= {"paid_subscribers", "inactive_users",
                                                   "high_clv_decile", "cart_abandoners"}
    assert all(set(c.rules) == {"duckdb", "postgres", "spark"} for c in compiled)


def test_cli_validate_and_compile_check(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(app, ["audiences", "validate"])
    assert ok.exit_code == 0 and "all audiences are valid" in ok.output
    assert runner.invoke(app, ["audiences", "compile", "--check"]).exit_code == 0
    _write(tmp_path, "a", VALID.format(name="a").replace("orders > 0", "drop table x"))
    bad = runner.invoke(app, ["audiences", "validate", "--dir", str(tmp_path)])
    assert bad.exit_code == 1 and "audience 'a'" in bad.output and "DROP" in bad.output.upper()
