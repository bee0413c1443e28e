"""Audience YAML is untrusted input: every value that reaches SQL is refused by
`cdp audiences validate` unless it is a checked name or label, every problem of a file is
reported at once, and the generated macro keeps hostile free text (descriptions, owners) from
ever looking like a Jinja tag. Rule size limits are in test_rule_limits.py."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jinja2
import pytest
from dbt_common.clients.jinja import extract_toplevel_blocks

from cdp.audiences.compile import CompiledAudience, render_macro
from cdp.audiences.definitions import Arm, Audience, DefinitionError, load_audiences
from cdp.audiences.validate import validate_audiences

VALID = """\
name: {name}
description: Test audience.
owner: team@example.com
rule: orders > 0
"""
NAME_RULE = "is not a lower_snake_case name (a-z, 0-9, _; at most 63 characters)"
HOSTILE_GROUP = "x'); select read_text('/etc/hostname'); --"


def _write(folder: Path, name: str, extra: str) -> Path:
    path = folder / f"{name}.yml"
    path.write_text(VALID.format(name=name) + textwrap.dedent(extra), encoding="utf-8")
    return path


@pytest.mark.parametrize(("extra", "key", "value"), [
    (f'group: "{HOSTILE_GROUP}"\npriority: 1\n', "group", HOSTILE_GROUP),
    ("group: 'a b'\npriority: 1\n", "group", "a b"),
    ("tags: [ok, \"it's\"]\n", "tags[1]", "it's"),
    ("tags: ['(select 1)']\n", "tags[0]", "(select 1)"),
    ("tags: ['x; drop table t']\n", "tags[0]", "x; drop table t"),
    ("tags: [Suppression]\n", "tags[0]", "Suppression"),
    ("tags: [\"ok\\n\"]\n", "tags[0]", "ok\n"),  # `$` would match before a trailing newline
    ("variants: [{name: ok, share: 50}, {name: \"a' || (select 1) || '\", share: 50}]\n",
     "variants[1].name", "a' || (select 1) || '"),
    ("exclude: [\"paid'\"]\n", "exclude[0]", "paid'"),
])
def test_values_that_reach_sql_must_be_names(tmp_path, extra, key, value):
    path = _write(tmp_path, "a", extra)
    errors = validate_audiences(tmp_path)
    assert errors == [f"{path}: {key}: {value!r} {NAME_RULE}"]


@pytest.mark.parametrize("salt", ["s'alt", "s alt", "x" * 65, "a;b", "é"])
def test_salt_must_be_a_short_label(tmp_path, salt):
    path = _write(tmp_path, "a", f"salt: {json.dumps(salt)}\n")
    [error] = validate_audiences(tmp_path)
    assert error.startswith(f"{path}: salt: ")
    assert "is not a short label (letters, digits, _ . : -; 1 to 64 characters)" in error


@pytest.mark.parametrize("salt", ["reengagement-2026", "v2.1:b_c", 2026])
def test_ordinary_salts_are_fine(tmp_path, salt):
    _write(tmp_path, "a", f"salt: {salt}\n")
    [audience] = load_audiences(tmp_path)
    assert audience.salt == str(salt)


def test_long_hostile_values_are_cut_short_in_messages(tmp_path):
    path = _write(tmp_path, "a", f"tags: ['{'x; ' * 5000}']\n")
    [error] = validate_audiences(tmp_path)
    assert error.startswith(f"{path}: tags[0]: 'x; x; ")
    assert len(error) < len(str(path)) + 150 and "\n" not in error


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    path = _write(tmp_path, "a", """\
        group: "bad group"
        priority: 1
        tags: ["it's"]
        salt: "s'"
    """)
    errors = validate_audiences(tmp_path)
    assert [e.split(": ")[1] for e in errors] == ["salt", "group", "tags[0]"]
    assert all(e.startswith(f"{path}: ") for e in errors)


def test_the_rule_of_a_file_with_other_problems_is_checked_too(tmp_path):
    path = (tmp_path / "a.yml")
    path.write_text(VALID.format(name="a").replace("orders > 0", "orders > (select 1)")
                    + "holdout: 150\nvariants: [{name: 'x y', share: 90}]\n", encoding="utf-8")
    errors = validate_audiences(tmp_path)
    assert len(errors) == 4, errors
    assert "holdout must be a percentage" in errors[0]
    assert "add up to 100" in errors[1]
    assert errors[2] == f"{path}: variants[0].name: 'x y' {NAME_RULE}"
    assert errors[3].startswith("audience 'a': rule") and "subqueries" in errors[3]


def test_every_reference_problem_is_reported(tmp_path):
    _write(tmp_path, "a", "exclude: [a, nope, b]\ngroup: g\npriority: 1\n")
    _write(tmp_path, "b", "group: g\npriority: 1\n")
    errors = validate_audiences(tmp_path)
    assert len(errors) == 3, errors
    assert "cannot exclude itself" in errors[0] and "unknown audience 'nope'" in errors[1]
    assert "b.yml: priority 1 of group 'g' is already taken by 'a'" in errors[2]


def test_load_audiences_raises_the_first_problem_and_counts_the_rest(tmp_path):
    path = _write(tmp_path, "a", "tags: ['a b', 'c d']\nexclude: [\"'\"]\n")
    with pytest.raises(DefinitionError) as error:
        load_audiences(tmp_path)
    assert str(error.value) == (f"{path}: exclude[0]: \"'\" {NAME_RULE} (and 2 more problems: "
                                "run `cdp audiences validate`)")
    errors: list[str] = []
    assert load_audiences(tmp_path, errors) == [] and len(errors) == 3


@pytest.mark.parametrize(("extra", "message"), [
    ("group: g\npriority: true\n", "needs an integer priority"),
    ("group: g\npriority: '1; drop table t'\n", "needs an integer priority"),
    ("group: g\npriority: 99999999999\n", "priority: 99999999999 is out of range"),
    ("holdout: true\n", "holdout must be a percentage"),
    ("tags: suppression\n", "tags must be a list of names"),
    ("variants: [{name: true, share: 100}]\n", "variants[0].name: True " + NAME_RULE),
])
def test_numbers_and_lists_are_checked_strictly(tmp_path, extra, message):
    _write(tmp_path, "a", extra)
    [error] = validate_audiences(tmp_path)
    assert message in error


def _hostile_compiled(description: str, owner: str) -> CompiledAudience:
    audience = Audience(name="hostile", description=description, owner=owner,
                        rule="email like '%{{x}}%'", path=Path("hostile.yml"), salt="hostile",
                        arms=(Arm("members", 0, 10_000, False),))
    rules = {"duckdb": "email LIKE '%{{x}}#%'", "postgres": "email LIKE '%}}'", "spark": "1"}
    return CompiledAudience(audience, rules, frozenset({"email"}))


HOSTILE_TEXTS = [
    "it's", "back\\slash", "\\'", "}}", "{{ 7 * 7 }}", "{% do log('x') %}", "{# comment",
    "#}", "%}", "x')) }}{% endmacro %}{% macro evil() %}", '"quoted" \\" \\\\', "tab\tnew\nline",
    "émoji 😀 ü", "\\u007b",
]


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_the_generated_macro_keeps_hostile_text_out_of_jinja(text):
    compiled = _hostile_compiled(description=text, owner=f"owner {text}")
    macro = render_macro([compiled])
    body = macro.split("{{ return(", 1)[1].rsplit(") }}", 1)[0]
    for delimiter in ("{{", "}}", "{%", "%}", "{#", "#}"):
        assert delimiter not in body
    assert json.loads(body)[0]["description"] == text  # still plain JSON
    rendered = jinja2.Environment().from_string(
        "{% set d = " + body + " %}{{ d[0].description }}|{{ d[0].owner }}|{{ d[0].rules.duckdb }}"
    ).render()
    assert rendered == f"{text}|owner {text}|email LIKE '%{{{{x}}}}#%'"
    [block] = extract_toplevel_blocks(macro.split("#}\n", 1)[1], allowed_blocks={"macro"},
                                      collect_raw_data=False)
    assert block.block_name == "audience_definitions"  # dbt sees one macro, the whole of it
