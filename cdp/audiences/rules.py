"""Audience rules: validate marketer-written SQL conditions and expand named traits.

A rule is pasted into a dbt model's `where` clause, so every sqlglot node is checked against an
*allowlist*: anything not understood here is rejected before it reaches a warehouse. Rules are
authored in DuckDB SQL (`cdp.audiences.transpile` turns them into the other dialects). CASE
is allowed (a pure expression); casts only to simple scalar types.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError
from sqlglot.tokens import Token, TokenType

from cdp.audiences.transpile import rewrite_bottom_up

AUTHORING_DIALECT = "duckdb"
ALLOWED_FUNCTIONS = frozenset({
    "current_date", "current_timestamp", "date_trunc", "date_diff", "datediff", "date_add",
    "date_sub", "extract", "date_part", "year", "month", "day", "dayofweek", "lower", "upper",
    "trim", "ltrim", "rtrim", "length", "substring", "substr", "concat", "replace", "starts_with",
    "ends_with", "contains", "left", "right", "coalesce", "nullif", "abs", "round", "floor", "ceil",
    "greatest", "least"})
# The sqlglot classes those names parse to (aliases such as `ceiling` or `ifnull` land here too).
_FUNCTIONS = (exp.CurrentDate, exp.CurrentTimestamp, exp.TimestampTrunc, exp.DateTrunc,
              exp.DateDiff, exp.DateAdd, exp.Extract, exp.Year, exp.Month, exp.Day, exp.DayOfWeek,
              exp.Lower, exp.Upper, exp.Trim, exp.Length, exp.Substring, exp.Concat, exp.Replace,
              exp.StartsWith, exp.EndsWith, exp.Contains, exp.Left, exp.Right, exp.Coalesce,
              exp.Nullif, exp.Abs, exp.Round, exp.Floor, exp.Ceil, exp.Greatest, exp.Least,
              exp.Cast, exp.Case)
_PREDICATES = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Is, exp.In, exp.Between,
               exp.Like, exp.ILike, exp.Escape, exp.StartsWith, exp.EndsWith, exp.Contains,
               exp.Boolean)
_ALLOWED = (*_FUNCTIONS, *_PREDICATES, exp.And, exp.Or, exp.Not, exp.Paren, exp.Literal,
            exp.Null, exp.Neg, exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod, exp.DPipe,
            exp.Interval)
_CAST_TYPES = frozenset(exp.DataType.Type[t] for t in [
    "BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DECIMAL",
    "TEXT", "VARCHAR", "CHAR", "DATE", "TIMESTAMP", "TIMESTAMPNTZ", "TIMESTAMPTZ"])
_STATEMENTS = (exp.DDL, exp.DML, exp.Command, exp.Drop, exp.Alter, exp.Pragma, exp.Set,
               exp.Attach, exp.Detach, exp.Use, exp.TruncateTable, exp.Install, exp.Transaction)
_FORBIDDEN = (  # checked before the allowlist: aggregates and EXISTS are functions too
    ((exp.Query, exp.Exists, exp.Values), "subqueries are not allowed"),
    ((exp.AggFunc, exp.Window, exp.Filter), "aggregate/window functions are not allowed"),
    ((exp.Star,), "`*` is not allowed; name the columns"),
    ((exp.Placeholder, exp.Parameter), "bind parameters/placeholders are not allowed"),
    ((exp.Alias,), "aliases are not allowed"))
_UNITS = ("year", "quarter", "month", "week", "day", "dow", "doy", "hour", "minute", "second")
# Allowed nodes whose arguments still need a look: (type, is it fine?, reason when not).
_SHAPES: tuple[tuple[type, Callable[..., object], str], ...] = (
    (exp.In, lambda n: all(map(_is_literal, n.expressions)), "IN takes a list of literals only"),
    (exp.Is, lambda n: isinstance(n.expression, exp.Null | exp.Boolean), "IS takes NULL or a bool"),
    (exp.Interval, lambda n: n.this and _is_literal(n.this.unnest()), "INTERVAL takes a literal"),
    (exp.Extract, lambda n: n.name.lower() in _UNITS, f"date parts are: {', '.join(_UNITS)}"),
    (exp.DateAdd, lambda n: isinstance(n.expression, exp.Interval), "date_add takes an interval"),
    (exp.Cast, lambda n: n.to.this in _CAST_TYPES and (not n.to.expressions or n.to.is_type(
        "decimal", "varchar", "char")), "casts to simple scalar types only"))
# sqlglot has no class for DuckDB's date_part/date_sub: accept only their portable shapes.
_ANONYMOUS: dict[str, tuple[Callable[[list], object], str]] = {
    "date_part": (lambda a: len(a) == 2 and a[0].is_string and a[0].name.lower() in _UNITS,
                  f"date_part takes a literal part ({', '.join(_UNITS)}) and a value"),
    "date_sub": (lambda a: len(a) == 2 and isinstance(a[1], exp.Interval),
                 "date_sub takes an interval: date_sub(x, interval 7 day)")}
_ANCHORS = {exp.Star: {TokenType.STAR},  # tokens of nodes that sqlglot keeps no offset for
            exp.Placeholder: {TokenType.PLACEHOLDER, TokenType.PARAMETER, TokenType.COLON}}
# Nodes allowed only inside these parents: units, cast types, CASE branches, column names.
_PARTS = {exp.Var: (exp.Extract, exp.DateDiff, exp.TimestampTrunc, exp.DateTrunc, exp.Interval),
          exp.DataType: exp.Cast, exp.DataTypeParam: exp.DataType, exp.If: exp.Case,
          exp.Identifier: exp.Column}
_ALLOWED_LIST = f" (allowed: {', '.join(sorted(ALLOWED_FUNCTIONS))})"
_NAME = re.compile(r"[a-z_][a-z0-9_]*")
# Reserved somewhere, so a column of that name is quoted in the output.


class RuleError(ValueError):
    """A rule that must not run: names the audience, where in the rule, and why."""

    def __init__(self, audience: str, reason: str, *, line: int | None = None,
                 column: int | None = None, trait: str | None = None) -> None:
        self.audience, self.reason, self.line, self.column = audience, reason, line, column
        self.trait = trait
        where = f"trait '{trait}'" if trait else "rule"
        where += f" line {line}, column {column}" if line is not None else ""
        super().__init__(f"audience '{audience}': {where}: {reason}")


def parse_rule(audience: str, rule: str, *, columns: Collection[str],
               traits: Mapping[str, str] | None = None) -> exp.Expression:
    """Parse and validate; named traits are expanded inline (parenthesised) so the result
    references dim_customers columns only. Only the traits the rule uses are validated."""
    checker, source = _Checker(audience, columns, traits or {}), _Source(audience, rule)
    tree = checker.parse(source)
    if (bad := _non_condition(tree)) is not None:
        raise source.error(f"the rule must be a boolean condition (got `{_snippet(bad)}`)", bad)
    return checker.expand(source, tree)


def referenced_columns(expression: exp.Expression) -> set[str]:
    """dim_customers columns the (expanded) rule reads."""
    return {column.name.lower() for column in expression.find_all(exp.Column)}


@dataclass
class _Source:
    """One SQL text being checked (the rule or a trait body), to turn nodes into positions."""

    audience: str
    text: str
    trait: str | None = None
    tokens: list[Token] = field(default_factory=list)

    def error(self, reason: str, at: exp.Expression | int | None = None) -> RuleError:
        start = _start(at, self.tokens) if isinstance(at, exp.Expression) else at
        line = None if start is None else self.text.count("\n", 0, start) + 1
        column = None if start is None else start - self.text.rfind("\n", 0, start)
        return RuleError(self.audience, reason, line=line, column=column, trait=self.trait)


class _Checker:
    """Validates one audience's rule and the traits it uses (memoised, cycle-checked)."""

    def __init__(self, audience: str, columns: Collection[str], traits: Mapping[str, str]):
        self.audience, self.columns = audience, frozenset(c.lower() for c in columns)
        self.traits = {name.lower(): body for name, body in traits.items()}
        self.expanded: dict[str, exp.Expression] = {}
        self.stack: list[str] = []  # traits being expanded, to name a cycle
        if clash := sorted(self.columns & self.traits.keys()):  # a rule could mean either
            raise RuleError(audience, f"trait name collides with column '{clash[0]}'",
                            trait=clash[0])

    def parse(self, source: _Source) -> exp.Expression:
        """Exactly one expression, every node of it on the allowlist."""
        try:
            source.tokens = sqlglot.Dialect[AUTHORING_DIALECT]().tokenize(source.text)
            if ends := [t for t in source.tokens if t.token_type == TokenType.SEMICOLON]:
                raise source.error("only one expression is allowed (found `;`)", ends[0].start)
            statements = sqlglot.parse(source.text, read=AUTHORING_DIALECT)
        except ParseError as error:  # sqlglot's position is the offending token's last character
            info = error.errors[0] if error.errors else {}
            near = f" near {info['highlight']!r}" if info.get("highlight") else ""
            why = re.sub(r"<class '[\w.]*\.(\w+)'>", r"\1", info.get("description") or str(error))
            raise RuleError(self.audience, f"syntax error{near}: {why}", line=info.get("line"),
                            column=info.get("col"), trait=source.trait) from None
        except SqlglotError as error:  # tokenizer errors carry no position
            raise source.error(f"cannot tokenize it (unclosed quote?): {error}") from None
        if not statements or statements[0] is None:  # blank, or only a comment
            raise source.error(f"the {'trait' if source.trait else 'rule'} is empty")
        for node in statements[0].walk(bfs=False):  # pre-order: outermost problem first
            if reason := self.rejection(node, source):
                raise source.error(reason, node)
        return statements[0]

    def rejection(self, node: exp.Expression, source: _Source) -> str | None:
        """Why `node` may not appear in a rule, or None when it may."""
        if isinstance(node, _STATEMENTS):
            kind = source.tokens[0].text.upper() if node.parent is None else node.key.upper()
            article = "an" if kind[0] in "AEIOU" else "a"
            return f"only a boolean expression is allowed, not {article} {kind} statement"
        if reason := next((why for types, why in _FORBIDDEN if isinstance(node, types)), None):
            return reason
        if isinstance(node, exp.Column):
            name, known = node.name.lower(), self.columns | self.traits.keys()
            if node.is_star:
                return "`*` is not allowed; name the columns"
            if node.table:
                return f"qualified column '{node.sql()}' is not allowed; write just '{name}'"
            return None if name in known else f"unknown column '{name}'{_suggest(name, known)}"
        if isinstance(node, exp.Anonymous) and node.name.lower() in _ANONYMOUS:
            ok, why = _ANONYMOUS[node.name.lower()]
            return None if ok(node.expressions) else why
        if isinstance(node, _ALLOWED):
            return next((why for t, ok, why in _SHAPES if isinstance(node, t) and not ok(node)),
                        None)
        if isinstance(node.parent, _PARTS.get(type(node), ())):
            return None
        if isinstance(node, exp.Func):  # quote the function as the author spelled it
            meta = node.meta
            written = source.text[meta["start"]:meta["end"] + 1].lower() if "end" in meta else ""
            name = written if _NAME.fullmatch(written) else node.sql_name().lower()
            hint = _suggest(name, ALLOWED_FUNCTIONS) + _ALLOWED_LIST
            if isinstance(node, exp.Anonymous):
                return f"unknown function '{name}'{hint}"
            return f"function '{name}' is not allowed{hint}"
        return f"`{_snippet(node)}` is not allowed in a rule"

    def expand(self, source: _Source, tree: exp.Expression) -> exp.Expression:
        """Inline traits, lower-case identifiers, and rewrite DuckDB-only spellings portably."""

        def rewrite(node: exp.Expression) -> exp.Expression:
            if isinstance(node, exp.Column) and (name := node.name.lower()) in self.traits:
                return exp.Paren(this=self.trait(name, source, node).copy())
            if isinstance(node, exp.Column):
                return exp.column(name, quoted=False)
            if isinstance(node, exp.Anonymous):  # date_part(unit, x) or date_sub(x, interval)
                a, b = node.expressions
                if node.name.lower() == "date_sub":
                    return exp.Paren(this=exp.Sub(this=a, expression=b))
                node = exp.Extract(this=exp.var(a.name.upper()), expression=b)
            if isinstance(node, exp.DateAdd):  # Spark's date_add takes days, not an interval
                return exp.Paren(this=exp.Add(this=node.this, expression=node.expression))
            if isinstance(node, exp.DayOfWeek):  # one spelling (Sunday = 0) for _for_dialect
                return exp.Extract(this=exp.var("DOW"), expression=node.this)
            return node

        return rewrite_bottom_up(tree, rewrite)

    def trait(self, name: str, source: _Source, reference: exp.Expression) -> exp.Expression:
        """The validated, expanded body of trait `name`."""
        if name in self.stack:
            cycle = " -> ".join((*self.stack[self.stack.index(name):], name))
            raise source.error(f"traits form a cycle: {cycle}", reference)
        if name not in self.expanded:
            self.stack.append(name)
            body = _Source(self.audience, self.traits[name], trait=name)
            self.expanded[name] = self.expand(body, self.parse(body))
            self.stack.pop()
        return self.expanded[name]


def _is_literal(node: exp.Expression) -> bool:
    node = node.this if isinstance(node, exp.Neg | exp.Cast) else node  # -1, date '2024-01-01'
    return isinstance(node, exp.Literal | exp.Boolean | exp.Null)


def _non_condition(node: exp.Expression) -> exp.Expression | None:
    """The first part in a boolean position that cannot be boolean. Column (so trait) types are
    unknown, so bare references pass, as do CASE/COALESCE/NULLIF (coalesce(flag, false))."""
    if isinstance(node, exp.Paren | exp.Not):
        return _non_condition(node.this)
    if isinstance(node, exp.And | exp.Or):
        return _non_condition(node.left) or _non_condition(node.right)
    boolean_cast = isinstance(node, exp.Cast) and node.to.is_type("boolean")
    maybe = (*_PREDICATES, exp.Column, exp.Case, exp.Coalesce, exp.Nullif)
    return None if isinstance(node, maybe) or boolean_cast else node


def _start(node: exp.Expression, tokens: list[Token]) -> int | None:
    """Where `node` starts: sqlglot keeps offsets on identifiers, literals and named functions
    only, so other nodes start at their first offset inside (or their token, _ANCHORS)."""
    if node.parent is None and isinstance(node, (*_STATEMENTS, exp.Query)):
        return tokens[0].start if tokens else 0
    node = node.args["alias"] if isinstance(node, exp.Alias) else node
    if starts := [n.meta["start"] for n in node.walk() if "start" in n.meta]:
        return min(starts)
    return next((t.start for t in tokens if t.token_type in _ANCHORS.get(type(node), ())), None)


def _suggest(name: str, candidates: Collection[str]) -> str:
    matches = difflib.get_close_matches(name, sorted(candidates), n=3)
    return f" (did you mean {' or '.join(repr(m) for m in matches)}?)" if matches else ""


def _snippet(node: exp.Expression) -> str:  # for messages; long subtrees are cut short
    return node.sql(AUTHORING_DIALECT, comments=False)[:60]
