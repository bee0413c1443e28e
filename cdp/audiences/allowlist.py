"""What may appear in an audience rule (or a sync's value expression): the sqlglot allowlist.

Everything not listed here is rejected by `cdp.audiences.rules` before it reaches a warehouse.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

ALLOWED_FUNCTIONS = frozenset({
    "current_date", "current_timestamp", "date_trunc", "date_diff", "datediff", "date_add",
    "date_sub", "extract", "date_part", "year", "month", "day", "dayofweek", "lower", "upper",
    "trim", "ltrim", "rtrim", "length", "substring", "substr", "concat", "replace", "starts_with",
    "ends_with", "contains", "left", "right", "coalesce", "nullif", "abs", "round", "floor", "ceil",
    "greatest", "least"})
# The sqlglot classes those names parse to (aliases such as `ceiling` or `ifnull` land here too).
FUNCTIONS = (exp.CurrentDate, exp.CurrentTimestamp, exp.TimestampTrunc, exp.DateTrunc,
             exp.DateDiff, exp.DateAdd, exp.Extract, exp.Year, exp.Month, exp.Day, exp.DayOfWeek,
             exp.Lower, exp.Upper, exp.Trim, exp.Length, exp.Substring, exp.Concat, exp.Replace,
             exp.StartsWith, exp.EndsWith, exp.Contains, exp.Left, exp.Right, exp.Coalesce,
             exp.Nullif, exp.Abs, exp.Round, exp.Floor, exp.Ceil, exp.Greatest, exp.Least,
             exp.Cast, exp.Case)
PREDICATES = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Is, exp.In, exp.Between,
              exp.Like, exp.ILike, exp.Escape, exp.StartsWith, exp.EndsWith, exp.Contains,
              exp.Boolean)
ALLOWED = (*FUNCTIONS, *PREDICATES, exp.And, exp.Or, exp.Not, exp.Paren, exp.Literal,
           exp.Null, exp.Neg, exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod, exp.DPipe,
           exp.Interval)
CAST_TYPES = frozenset(exp.DataType.Type[t] for t in [
    "BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DECIMAL",
    "TEXT", "VARCHAR", "CHAR", "DATE", "TIMESTAMP", "TIMESTAMPNTZ", "TIMESTAMPTZ"])
STATEMENTS = (exp.DDL, exp.DML, exp.Command, exp.Drop, exp.Alter, exp.Pragma, exp.Set,
              exp.Attach, exp.Detach, exp.Use, exp.TruncateTable, exp.Install, exp.Transaction)
FORBIDDEN = (  # checked before the allowlist: aggregates and EXISTS are functions too
    ((exp.Query, exp.Exists, exp.Values), "subqueries are not allowed"),
    ((exp.AggFunc, exp.Window, exp.Filter), "aggregate/window functions are not allowed"),
    ((exp.Star,), "`*` is not allowed; name the columns"),
    ((exp.Placeholder, exp.Parameter), "bind parameters/placeholders are not allowed"),
    ((exp.Alias,), "aliases are not allowed"))
UNITS = ("year", "quarter", "month", "week", "day", "dow", "doy", "hour", "minute", "second")
# Allowed nodes whose arguments still need a look: (type, is it fine?, reason when not).
SHAPES: tuple[tuple[type, Callable[..., object], str], ...] = (
    (exp.In, lambda n: all(map(is_literal, n.expressions)), "IN takes a list of literals only"),
    (exp.Is, lambda n: isinstance(n.expression, exp.Null | exp.Boolean), "IS takes NULL or a bool"),
    (exp.Interval, lambda n: n.this and is_literal(n.this.unnest()), "INTERVAL takes a literal"),
    (exp.Extract, lambda n: n.name.lower() in UNITS, f"date parts are: {', '.join(UNITS)}"),
    (exp.DateAdd, lambda n: isinstance(n.expression, exp.Interval), "date_add takes an interval"),
    (exp.Cast, lambda n: n.to.this in CAST_TYPES and (not n.to.expressions or n.to.is_type(
        "decimal", "varchar", "char")), "casts to simple scalar types only"))
# sqlglot has no class for DuckDB's date_part/date_sub: accept only their portable shapes.
ANONYMOUS: dict[str, tuple[Callable[[list], object], str]] = {
    "date_part": (lambda a: len(a) == 2 and a[0].is_string and a[0].name.lower() in UNITS,
                  f"date_part takes a literal part ({', '.join(UNITS)}) and a value"),
    "date_sub": (lambda a: len(a) == 2 and isinstance(a[1], exp.Interval),
                 "date_sub takes an interval: date_sub(x, interval 7 day)")}
# Nodes allowed only inside these parents: units, cast types, CASE branches, column names.
PARTS = {exp.Var: (exp.Extract, exp.DateDiff, exp.TimestampTrunc, exp.DateTrunc, exp.Interval),
         exp.DataType: exp.Cast, exp.DataTypeParam: exp.DataType, exp.If: exp.Case,
         exp.Identifier: exp.Column}
ALLOWED_LIST = f" (allowed: {', '.join(sorted(ALLOWED_FUNCTIONS))})"


def is_literal(node: exp.Expression) -> bool:
    node = node.this if isinstance(node, exp.Neg | exp.Cast) else node  # -1, date '2024-01-01'
    return isinstance(node, exp.Literal | exp.Boolean | exp.Null)
