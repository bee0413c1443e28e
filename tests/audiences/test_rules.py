"""Audience rule validation, trait expansion and transpilation (pure sqlglot, no warehouse)."""

from __future__ import annotations

import pytest
import sqlglot

from cdp.audiences.rules import ALLOWED_FUNCTIONS, RuleError, parse_rule, referenced_columns
from cdp.audiences.transpile import DIALECTS, transpile_rule

COLUMNS = [
    "person_id", "lifecycle_stage", "orders", "net_revenue", "predicted_clv",
    "days_since_last_activity", "top_team", "email", "is_paid_subscriber", "last_order_at",
    "p_alive", "sessions_per_week",
]
TRAITS = {
    "is_engaged": "sessions_per_week >= 1",
    "is_vip": "predicted_clv > 500\n  and is_engaged",  # nested trait
    "big_spender": "net_revenue > 1000 or orders >= 10",  # OR: expansion must keep parentheses
}


def parse(rule: str, traits: dict[str, str] | None = None, audience: str = "lapsed_vips"):
    return parse_rule(audience, rule, columns=COLUMNS, traits=TRAITS if traits is None else traits)


def reject(rule: str, traits: dict[str, str] | None = None) -> RuleError:
    with pytest.raises(RuleError) as info:
        parse(rule, traits)
    return info.value


def test_error_message_names_audience_position_and_reason():
    error = reject("lifecycle_stage = 'lapsed' and day_since_last_activity > 30")
    assert str(error) == (
        "audience 'lapsed_vips': rule line 1, column 32: unknown column "
        "'day_since_last_activity' (did you mean 'days_since_last_activity'?)")
    assert (error.audience, error.line, error.column) == ("lapsed_vips", 1, 32)
    assert isinstance(error, ValueError)


def test_position_is_reported_on_the_right_line():
    error = reject("lifecycle_stage = 'lapsed'\n  and day_since_last_activity > 30")
    assert (error.line, error.column) == (2, 7)
    assert "rule line 2, column 7" in str(error)


def test_no_suggestion_when_nothing_is_close():
    error = reject("favourite_colour = 'blue'")
    assert "unknown column 'favourite_colour'" in str(error)
    assert "did you mean" not in str(error)


def test_trait_names_are_suggested_too():
    assert "did you mean 'is_engaged'?" in str(reject("is_engagd"))


@pytest.mark.parametrize(("rule", "reason", "position"), [
    ("", "the rule is empty", None),
    ("  -- only a comment\n", "the rule is empty", None),
    ("orders > 1; drop table dim_customers", "only one expression is allowed (found `;`)", (1, 11)),
    ("orders > 1;", "only one expression is allowed (found `;`)", (1, 11)),
    ("orders > 1 and\n  (orders = = 2)", "syntax error near '='", (2, 13)),
    ("orders = (1", "syntax error", (1, 11)),
    ("email = 'unterminated", "cannot tokenize", None),
    ("orders in (select 1)", "subqueries are not allowed", None),
    ("exists (select 1 from dim_customers)", "subqueries are not allowed", None),
    ("(select max(orders) from dim_customers) < orders", "subqueries are not allowed", None),
    ("select 1", "subqueries are not allowed", (1, 1)),
    ("sum(orders) > 1", "aggregate/window functions are not allowed", (1, 1)),
    ("count(*) > 1", "aggregate/window functions are not allowed", (1, 1)),
    ("row_number() over () = 1", "aggregate/window functions are not allowed", None),
    ("*", "`*` is not allowed", (1, 1)),
    ("orders * 2 > 1 and *", "`*` is not allowed", (1, 20)),
    ("orders = ?", "bind parameters/placeholders are not allowed", (1, 10)),
    ("orders = 1 or\n  p_alive = $1", "bind parameters/placeholders are not allowed", (2, 13)),
    ("orders = :min_orders", "bind parameters/placeholders are not allowed", (1, 10)),
    ("c.orders > 1", "qualified column 'c.orders' is not allowed", (1, 1)),
    ("orders = 1 as flag", "aliases are not allowed", (1, 15)),
    ("orders in (net_revenue, 1)", "IN takes a list of literals only", (1, 1)),
    ("orders is distinct from 1", "is not allowed in a rule", (1, 1)),
    ("cast(email as json) is null", "casts to simple scalar types only", (1, 6)),
    ("cast(orders as int[]) is null", "casts to simple scalar types only", (1, 6)),
    ("extract(epoch from last_order_at) > 1", "date parts are: year", None),
    ("date_part(top_team, last_order_at) = 1", "date_part takes a literal part", (1, 1)),
    ("date_add(last_order_at, 7) > current_date", "date_add takes an interval", (1, 1)),
    ("date_sub('day', last_order_at, current_date) > 1", "date_sub takes an interval", (1, 1)),
    ("last_order_at > current_date - interval (orders) day", "INTERVAL takes a literal", None),
    ("orders + 1", "the rule must be a boolean condition (got `orders + 1`)", (1, 1)),
    ("'vip'", "the rule must be a boolean condition", (1, 1)),
    ("is_engaged and predicted_clv * 2", "the rule must be a boolean condition", (1, 16)),
])
def test_rejections(rule, reason, position):
    error = reject(rule)
    assert str(error).startswith("audience 'lapsed_vips': rule")
    assert reason in error.reason
    if position:
        assert (error.line, error.column) == position
        assert f"line {position[0]}, column {position[1]}" in str(error)
    elif not rule.strip() or "tokenize" in reason:
        assert error.line is None


@pytest.mark.parametrize(("rule", "kind"), [
    ("  drop table dim_customers", "a DROP"), ("delete from dim_customers", "a DELETE"),
    ("insert into dim_customers values (1)", "an INSERT"), ("update t set orders = 1", "an UPDATE"),
    ("create table t (a int)", "a CREATE"), ("alter table t add column b int", "an ALTER"),
    ("attach 'other.duckdb'", "an ATTACH"), ("copy dim_customers to 'out.csv'", "a COPY"),
    ("pragma version", "a PRAGMA"), ("set threads = 4", "a SET"),
])
def test_statements_are_rejected(rule, kind):
    error = reject(rule)
    assert error.reason == f"only a boolean expression is allowed, not {kind} statement"
    assert (error.line, error.column) == (1, 1 + len(rule) - len(rule.lstrip()))


def test_unknown_function_lists_the_allowlist_and_suggests():
    reason = reject("lowr(email) = 'x'").reason
    assert reason.startswith("unknown function 'lowr' (did you mean 'lower'")
    assert "(allowed: abs, ceil, coalesce" in reason
    assert "did you mean" not in reject("qqq(orders) > 1").reason


def test_functions_sqlglot_knows_but_we_do_not_allow_keep_the_authors_spelling():
    assert reject("regexp_matches(email, 'x')").reason.startswith(
        "function 'regexp_matches' is not allowed")
    assert reject("random() > 0.5").reason.startswith("function 'random' is not allowed")


@pytest.mark.parametrize("rule", [
    "lifecycle_stage = 'lapsed' and predicted_clv > 100",
    "orders <> 0 and orders != 1 and orders < 5 and orders <= 4 and p_alive >= 0.2",
    "top_team in ('arsenal', 'spurs') and lifecycle_stage not in ('churned')",
    "predicted_clv between 100 and 500 and orders not between 2 and 3",
    "email like '%@gmail.com' and email not like 'test%' and email ilike '%@GMAIL.COM'",
    "email is not null and last_order_at is null",
    "(net_revenue - 10) * 2 / orders + orders % 3 > -1 and -orders < 0",
    "last_order_at > current_date - interval 7 day",
    "last_order_at >= current_timestamp - interval '30 days'",
    "date_diff('day', last_order_at, current_date) > 30 and datediff('month', last_order_at, "
    "current_date) < 12",
    "date_add(last_order_at, interval 1 month) < current_date",
    "date_sub(current_date, interval 3 day) < last_order_at",
    "date_trunc('month', last_order_at) = date '2024-01-01'",
    "extract(year from last_order_at) = 2024 and date_part('month', last_order_at) = 1",
    "year(last_order_at) = 2024 and month(last_order_at) = 1 and day(last_order_at) = 2",
    "dayofweek(last_order_at) = 0",
    "lower(email) = 'x' and upper(top_team) = 'Y' and trim(email) <> '' and ltrim(email) <> ''",
    "rtrim(email) <> '' and length(email) > 3 and substring(email, 1, 3) = 'abc'",
    "substr(email, 2) = 'x' and concat(top_team, '!') = 'a!' and replace(email, 'a', 'b') = 'b'",
    "starts_with(email, 'a') and ends_with(email, '.com') and contains(email, '@')",
    "left(email, 1) = 'a' and right(email, 4) = '.com' and email || '!' = 'a!'",
    "coalesce(predicted_clv, 0) > nullif(orders, 0) and abs(net_revenue) > 1",
    "round(p_alive, 2) > 0.5 and floor(p_alive) = 0 and ceil(p_alive) = 1",
    "greatest(orders, 1) > least(orders, 10)",
    "cast(orders as int) > 1 and try_cast(top_team as varchar) = 'x' and p_alive::double > 0.5",
    "case when orders > 10 then 'a' else 'b' end = 'a'",
    "is_paid_subscriber", "not is_paid_subscriber", "true",
    "coalesce(is_paid_subscriber, false)",
    "is_engaged and not is_paid_subscriber",
])
def test_valid_rules_transpile_to_every_dialect(rule):
    expression = parse(rule)
    for dialect in DIALECTS:
        sql = transpile_rule(expression, dialect)
        assert sqlglot.parse_one(sql, read=dialect) is not None, (dialect, sql)
        assert ";" not in sql


@pytest.mark.parametrize("rule", [
    "lifecycle_stage = 'lapsed' and predicted_clv > 100",
    "top_team in ('arsenal', 'spurs') and not orders between 2 and 3",
    "email ilike '%@gmail.com' or email is null",
    "last_order_at > current_date - interval 7 day",
    "lower(email) || '!' = 'a!' and coalesce(orders, 0) > 1",
    "big_spender and is_vip",
])
def test_simple_rules_round_trip_through_every_dialect(rule):
    duckdb_sql = transpile_rule(parse(rule), "duckdb")
    for dialect in DIALECTS:
        back = sqlglot.parse_one(transpile_rule(parse(rule), dialect), read=dialect)
        assert back.sql("duckdb") == duckdb_sql, dialect


@pytest.mark.parametrize(("rule", "dialect", "expected"), [
    ("date_diff('day', last_order_at, current_date) > 30", "postgres",
     "(CAST(CURRENT_DATE AS DATE) - CAST(last_order_at AS DATE)) > 30"),
    ("date_diff('day', last_order_at, current_date) > 30", "spark",
     "DATEDIFF(CURRENT_DATE, last_order_at) > 30"),
    ("last_order_at > current_date - interval 7 day", "postgres",
     "last_order_at > CURRENT_DATE - INTERVAL '7 DAY'"),
    ("date_add(last_order_at, interval 7 day) > current_date", "spark",
     "(last_order_at + INTERVAL '7' DAY) > CURRENT_DATE"),
    ("dayofweek(last_order_at) = 0", "postgres", "EXTRACT(DOW FROM last_order_at) = 0"),
    ("dayofweek(last_order_at) = 0", "spark", "(EXTRACT(DOW FROM last_order_at) - 1) = 0"),
    ("contains(email, '@')", "postgres", "(POSITION('@' IN email) > 0)"),
    ("ends_with(email, '.com')", "postgres", "(RIGHT(email, LENGTH('.com')) = '.com')"),
    ("round(p_alive, 2) > 0.5", "postgres", "ROUND(CAST(p_alive AS DECIMAL), 2) > 0.5"),
    ("email || '!' = 'a!' and email ilike 'A%'", "spark",
     "email || '!' = 'a!' AND email ILIKE 'A%'"),
])
def test_dialect_specific_output(rule, dialect, expected):
    assert transpile_rule(parse(rule), dialect) == expected


def test_identifiers_are_case_insensitive_and_output_lower_case_unquoted():
    expression = parse('"Orders" > 1 and Lifecycle_Stage = \'lapsed\' and IS_ENGAGED')
    assert transpile_rule(expression, "postgres") == (
        "orders > 1 AND lifecycle_stage = 'lapsed' AND (sessions_per_week >= 1)")


def test_reserved_word_columns_are_quoted_for_the_target():
    expression = parse_rule("a", '"order" = 1', columns=["order"])
    assert transpile_rule(expression, "postgres") == '"order" = 1'
    assert transpile_rule(expression, "spark") == "`order` = 1"


def test_nested_traits_expand_inline_with_parentheses():
    expression = parse("big_spender and is_vip")
    assert transpile_rule(expression, "duckdb") == (
        "(net_revenue > 1000 OR orders >= 10)"
        " AND (predicted_clv > 500 AND (sessions_per_week >= 1))")
    assert referenced_columns(expression) == {
        "net_revenue", "orders", "predicted_clv", "sessions_per_week"}


def test_trait_errors_name_the_trait_and_their_position():
    error = reject("is_engaged", {"is_engaged": "orders > 0 and\n  sesions_per_week >= 1"})
    assert str(error) == (
        "audience 'lapsed_vips': trait 'is_engaged' line 2, column 3: unknown column "
        "'sesions_per_week' (did you mean 'sessions_per_week'?)")
    assert error.trait == "is_engaged"
    assert "subqueries are not allowed" in reject("t", {"t": "orders in (select 1)"}).reason


def test_trait_cycles_are_named():
    error = reject("a and orders > 1", {"a": "b", "b": "c and p_alive > 0", "c": "a"})
    assert "traits form a cycle: a -> b -> c -> a" in str(error)
    assert "traits form a cycle: a -> a" in reject("a", {"a": "a or orders > 1"}).reason


def test_trait_colliding_with_a_column_is_an_error():
    error = reject("orders", {"Orders": "net_revenue > 1"})
    assert "trait 'orders'" in str(error)
    assert "collides with column 'orders'" in error.reason


def test_only_traits_the_rule_uses_are_validated():
    expression = parse("is_engaged", {**TRAITS, "broken": "sum(orders) > 1"})
    assert referenced_columns(expression) == {"sessions_per_week"}


def test_allowlist_and_unknown_dialect():
    assert {"date_diff", "lower", "coalesce", "dayofweek"} <= ALLOWED_FUNCTIONS
    assert "sum" not in ALLOWED_FUNCTIONS
    with pytest.raises(ValueError, match="unknown dialect"):
        transpile_rule(parse("orders > 1"), "snowflake")
