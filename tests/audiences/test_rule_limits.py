"""Hostile rule sizes are refused with a one-line reason naming the limit (never a
RecursionError), and `parse_expression` checks sync value expressions like rules."""

from __future__ import annotations

import time

import pytest
import sqlglot
from sqlglot import exp

from cdp.audiences.limits import MAX_BOOLEAN_OPERATORS, MAX_CHARS, MAX_NESTING
from cdp.audiences.rules import RuleError, parse_expression, parse_rule
from cdp.audiences.transpile import DIALECTS, transpile_rule
from cdp.audiences.validate import validate_audiences

COLUMNS = ["orders", "email", "first_name", "city", "predicted_clv", "x"]
SUBJECT = "sync 'crm' fields.email"


def reject(rule: str, traits: dict[str, str] | None = None) -> RuleError:
    with pytest.raises(RuleError) as info:  # a RecursionError would fail the test
        parse_rule("deep", rule, columns=COLUMNS, traits=traits)
    assert "\n" not in str(info.value)
    return info.value


def nested(depth: int) -> str:
    return "(" * depth + "orders > 1" + ")" * depth


def ors(terms: int) -> str:
    return " or ".join(f"orders = {i}" for i in range(terms))


def test_500_nested_parentheses_name_the_limit():
    error = reject(nested(500))
    assert str(error) == ("audience 'deep': rule line 1, column 51: the rule nests parentheses "
                          "500 deep; the limit is 50")


def test_an_or_of_1000_terms_names_the_limit():
    error = reject(ors(1000))
    assert error.reason.startswith("the rule has 999 AND/OR operators; the limit is 250")
    assert "IN (...)" in error.reason


def test_limits_are_inclusive():
    parse_rule("deep", nested(MAX_NESTING), columns=COLUMNS)
    assert "nests parentheses 51 deep" in reject(nested(MAX_NESTING + 1)).reason
    parse_rule("deep", ors(MAX_BOOLEAN_OPERATORS + 1), columns=COLUMNS)
    assert "251 AND/OR operators" in reject(ors(MAX_BOOLEAN_OPERATORS + 2)).reason


def test_long_rules_are_refused_before_tokenizing():
    rule = "orders > 1 and " * 2000 + "true"
    started = time.perf_counter()
    error = reject(rule)
    assert error.reason == f"the rule is {len(rule):,} characters long; the limit is 20,000"
    assert len(rule) > MAX_CHARS and time.perf_counter() - started < 0.5


@pytest.mark.parametrize("rule", ["- " * 5000 + "orders > 1", "not " * 3000 + "orders > 1"])
def test_stack_exhaustion_is_a_rule_error(rule):
    assert reject(rule).reason.startswith("the rule is too complex to check")


def test_traits_have_the_same_limits():
    error = reject("big", {"big": ors(1000)})
    assert str(error).startswith("audience 'deep': trait 'big' line 1, column ")
    assert "the trait has 999 AND/OR operators; the limit is 250" in error.reason
    assert "the trait nests parentheses 500 deep" in reject("t", {"t": nested(500)}).reason


def test_traits_reusing_traits_cannot_blow_up():
    traits = {"t0": "orders > 1"} | {f"t{i}": " or ".join([f"t{i - 1}"] * 100)
                                     for i in range(1, 8)}  # 100**7 comparisons if inlined
    started = time.perf_counter()
    error = reject("t7", traits)
    assert "grows past 20,000 syntax nodes once its traits are expanded" in error.reason
    assert time.perf_counter() - started < 5


def test_too_deep_to_render_is_a_rule_error():
    traits = {"d0": "orders > 1"} | {f"d{i}": "not " * 150 + f"d{i - 1}" for i in range(1, 30)}
    expression = parse_rule("deep", "d29", columns=COLUMNS, traits=traits)
    with pytest.raises(RuleError) as info:
        transpile_rule(expression, "spark")
    assert str(info.value).startswith("audience 'deep': rule: the rule is too complex to render")


def test_validate_reports_deep_rules_in_yaml(tmp_path):
    for name, rule in [("a", nested(500)), ("b", ors(1000))]:
        (tmp_path / f"{name}.yml").write_text(
            f"name: {name}\ndescription: d\nowner: o\nrule: \"{rule}\"\n", encoding="utf-8")
    errors = validate_audiences(tmp_path)
    assert len(errors) == 2 and all("\n" not in e for e in errors)
    assert "the limit is 50" in errors[0] and "the limit is 250" in errors[1]


@pytest.mark.parametrize(("text", "postgres"), [
    ("email", "email"),
    ("upper(first_name)", "UPPER(first_name)"),
    ("coalesce(city, 'unknown')", "COALESCE(city, 'unknown')"),
    ("round(predicted_clv, 2)", "ROUND(CAST(predicted_clv AS DECIMAL), 2)"),
    ("case when x > 1 then 'a' else 'b' end", "CASE WHEN x > 1 THEN 'a' ELSE 'b' END"),
    ('"First_Name" || \' \' || City', "first_name || ' ' || city"),
])
def test_parse_expression_accepts_value_expressions(text, postgres):
    expression = parse_expression(SUBJECT, text, columns=COLUMNS)
    assert transpile_rule(expression, "postgres") == postgres
    for dialect in DIALECTS:
        assert sqlglot.parse_one(transpile_rule(expression, dialect), read=dialect)


@pytest.mark.parametrize(("text", "reason"), [
    ("(select 1)", "subqueries are not allowed"),
    ("read_text('/etc/passwd')", "unknown function 'read_text'"),
    ("getenv('HOME')", "unknown function 'getenv'"),
    ("a; drop table t", "only one expression is allowed (found `;`)"),
    ("drop table t", "only an expression is allowed, not a DROP statement"),
    ("count(*)", "aggregate/window functions are not allowed"),
    ("emial", "unknown column 'emial' (did you mean 'email'?)"),
    ("email is distinct from city", "is not allowed in an expression"),
    ("", "the expression is empty"),
    (nested(500), "the expression nests parentheses 500 deep; the limit is 50"),
    (ors(1000), "the expression has 999 AND/OR operators; the limit is 250"),
])
def test_parse_expression_refusals(text, reason):
    with pytest.raises(RuleError) as info:
        parse_expression(SUBJECT, text, columns=COLUMNS)
    error = info.value
    assert reason in error.reason
    assert str(error).startswith(f"{SUBJECT}: ")
    position = f"line {error.line}, column {error.column}: " if error.line else ""
    assert str(error) == f"{SUBJECT}: {position}{error.reason}"


def test_parse_expression_reports_positions_and_has_no_traits():
    with pytest.raises(RuleError) as info:
        parse_expression(SUBJECT, "upper(email) ||\n  lowr(city)", columns=COLUMNS)
    assert (info.value.line, info.value.column) == (2, 3)
    assert str(info.value).startswith(f"{SUBJECT}: line 2, column 3: unknown function 'lowr'")
    assert isinstance(parse_expression(SUBJECT, "email", columns=COLUMNS), exp.Column)
