"""Validated audience rules as SQL of each warehouse dialect.

sqlglot does most of the translation; the fix-ups here cover what its output would get wrong
(fail, or mean something else) on PostgreSQL and Spark.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlglot
from sqlglot import exp

DIALECTS = ("duckdb", "postgres", "spark")
# parse_rule/parse_expression record (audience, subject) here, for transpile_rule's errors.
SUBJECT_META = "cdp_subject"
_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_RESERVED = {"values", "interval", *sqlglot.Dialect["duckdb"].generator_class.RESERVED_KEYWORDS}


def transpile_rule(expression: exp.Expression, dialect: str) -> str:
    """The validated expression as SQL text of `dialect` (one of DIALECTS). Raises RuleError
    when it is too deeply nested to render (sqlglot's generator recurses per level)."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r} (expected one of {', '.join(DIALECTS)})")
    try:
        tree = rewrite_bottom_up(expression, lambda node: _for_dialect(node, dialect))
        return tree.sql(dialect, comments=False)
    except RecursionError:
        from cdp.audiences.rules import RuleError  # rules imports this module

        audience, subject = expression.meta.get(SUBJECT_META, ("", "the expression"))
        kind = "rule" if subject is None else "expression"
        raise RuleError(audience, f"the {kind} is too complex to render for {dialect} (nested "
                        "too deeply); simplify it, e.g. use IN (...) instead of chains of OR",
                        subject=subject) from None


def _for_dialect(node: exp.Expression, dialect: str) -> exp.Expression:
    """Fix-ups where sqlglot's output would fail, or mean something else, in `dialect`."""
    if isinstance(node, exp.Column) and (node.name in _RESERVED or not _NAME.fullmatch(node.name)):
        return exp.column(node.name, quoted=True)  # otherwise identifiers stay unquoted
    if dialect == "spark" and isinstance(node, exp.Extract) and node.name.upper() in (
            "DOW", "DAYOFWEEK"):  # Spark counts Sunday = 1
        return exp.Paren(this=exp.Sub(this=node, expression=exp.Literal.number(1)))
    if (dialect == "spark" and isinstance(node, exp.DateDiff) and node.unit
            and node.unit.name.upper() in ("DAY", "DAYS")):  # 2-arg form counts day boundaries
        return exp.DateDiff(this=node.this, expression=node.expression)
    if dialect == "postgres" and isinstance(node, exp.Contains):  # Postgres has no contains()
        position = exp.StrPosition(this=node.this, substr=node.expression)
        return exp.Paren(this=exp.GT(this=position, expression=exp.Literal.number(0)))
    if dialect == "postgres" and isinstance(node, exp.EndsWith):  # ... nor ends_with()
        tail = exp.Right(this=node.this, expression=exp.Length(this=node.expression.copy()))
        return exp.Paren(this=exp.EQ(this=tail, expression=node.expression))
    if dialect == "postgres" and isinstance(node, exp.Round) and node.args.get("decimals"):
        return exp.Round(this=exp.cast(node.this, "decimal"), decimals=node.args["decimals"])
    return node


def rewrite_bottom_up(tree: exp.Expression, fn: Callable[..., exp.Expression]) -> exp.Expression:
    """Bottom-up replacement on a copy (sqlglot's transform skips children of new nodes)."""
    holder = exp.Paren(this=tree.copy())  # so that even the root has a parent to replace it in
    for node in reversed(list(holder.this.walk(bfs=False))):
        parent, key, index = node.parent, node.arg_key, node.index  # fn may re-parent node
        if (new := fn(node)) is not node:
            parent.set(key, new, index)
    return holder.this.pop()
