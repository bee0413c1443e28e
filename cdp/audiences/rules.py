"""Audience rules: validate marketer-written SQL conditions and expand named traits.

A rule is pasted into a dbt model's `where` clause, so every sqlglot node is checked against an
*allowlist*: anything not understood here is rejected before it reaches a warehouse. Rules are
authored in DuckDB SQL (`cdp.audiences.transpile` turns them into the other dialects). CASE
is allowed (a pure expression); casts only to simple scalar types. Texts over the size limits
of `cdp.audiences.limits` are refused before sqlglot parses them. `parse_expression` applies
the same checks to value expressions (sync field mappings), which need not be conditions.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError
from sqlglot.tokens import Token, TokenType

from cdp.audiences.allowlist import (
    ALLOWED,
    ALLOWED_FUNCTIONS,
    ALLOWED_LIST,
    ANONYMOUS,
    FORBIDDEN,
    PARTS,
    PREDICATES,
    SHAPES,
    STATEMENTS,
)
from cdp.audiences.limits import (
    MAX_EXPANDED_NODES,
    expansion_problem,
    length_problem,
    token_problem,
    too_complex,
)
from cdp.audiences.transpile import SUBJECT_META, rewrite_bottom_up
from cdp.definition_files import shown

AUTHORING_DIALECT = "duckdb"
_ANCHORS = {exp.Star: {TokenType.STAR},  # tokens of nodes that sqlglot keeps no offset for
            exp.Placeholder: {TokenType.PLACEHOLDER, TokenType.PARAMETER, TokenType.COLON}}
_NAME = re.compile(r"[a-z_][a-z0-9_]*")


class RuleError(ValueError):
    """A rule (or expression) that must not run: names the audience, where in the rule, and
    why. For `parse_expression`, `subject` replaces the audience in the message and
    `audience` is empty; callers may format their own message from reason, line, column."""

    def __init__(self, audience: str, reason: str, *, line: int | None = None,
                 column: int | None = None, trait: str | None = None,
                 subject: str | None = None) -> None:
        self.audience, self.reason, self.line, self.column = audience, reason, line, column
        self.trait, self.subject = trait, subject
        where = f"trait '{trait}'" if trait else "rule" if subject is None else ""
        where += f" line {line}, column {column}" if line is not None else ""
        prefix = f"audience '{audience}'" if subject is None else subject
        super().__init__(f"{prefix}: {where.strip()}: {reason}" if where else
                         f"{prefix}: {reason}")


def parse_rule(audience: str, rule: str, *, columns: Collection[str],
               traits: Mapping[str, str] | None = None) -> exp.Expression:
    """Parse and validate; named traits are expanded inline (parenthesised) so the result
    references dim_customers columns only. Only the traits the rule uses are validated."""
    checker, source = _Checker(audience, columns, traits or {}), _Source(audience, rule)
    with _stack_guard(source):
        tree = checker.parse(source)
        if (bad := _non_condition(tree)) is not None:
            raise source.error(f"the rule must be a boolean condition (got `{_snippet(bad)}`)",
                               bad)
        expanded = checker.expand(source, tree)
    expanded.meta[SUBJECT_META] = (audience, None)  # so transpile_rule can name it too
    return expanded


def parse_expression(subject: str, text: str, *,
                     columns: Collection[str] | None) -> exp.Expression:
    """A value expression over `columns` (a sync's field mapping: `upper(first_name)`), with
    the rules' allowlist, shape checks and size limits but no traits and any result type.
    `columns=None` (a model not built yet) lets any column name through: shape only.
    Returns it expanded like a rule (lower-case identifiers, portable spellings) for
    `transpile_rule`; raises RuleError naming `subject` (e.g. "sync 'x' fields.email")."""
    checker = _Checker("", columns or (), {})
    checker.any_column = columns is None
    source = _Source("", text, subject=subject)
    with _stack_guard(source):
        expanded = checker.expand(source, checker.parse(source))
    expanded.meta[SUBJECT_META] = ("", subject)
    return expanded


def referenced_columns(expression: exp.Expression) -> set[str]:
    """dim_customers columns the (expanded) rule reads."""
    return {column.name.lower() for column in expression.find_all(exp.Column)}


@dataclass
class _Source:
    """One SQL text being checked (the rule or a trait body), to turn nodes into positions."""

    audience: str
    text: str
    trait: str | None = None
    subject: str | None = None  # set for parse_expression
    tokens: list[Token] = field(default_factory=list)

    @property
    def kind(self) -> str:  # for messages
        return "trait" if self.trait else "expression" if self.subject else "rule"

    def error(self, reason: str, at: exp.Expression | int | None = None) -> RuleError:
        start = _start(at, self.tokens) if isinstance(at, exp.Expression) else at
        line = None if start is None else self.text.count("\n", 0, start) + 1
        column = None if start is None else start - self.text.rfind("\n", 0, start)
        return RuleError(self.audience, reason, line=line, column=column, trait=self.trait,
                         subject=self.subject)


@contextmanager
def _stack_guard(source: _Source) -> Iterator[None]:
    """Python's stack running out anywhere inside (sqlglot recurses per nesting level) is a
    RuleError with a reason, never a 1,000-line traceback."""
    try:
        yield
    except RecursionError:
        raise source.error(too_complex(source.kind)) from None


class _Checker:
    """Validates one audience's rule and the traits it uses (memoised, cycle-checked)."""

    def __init__(self, audience: str, columns: Collection[str], traits: Mapping[str, str]):
        self.audience, self.columns = audience, frozenset(c.lower() for c in columns)
        self.traits = {name.lower(): body for name, body in traits.items()}
        self.expanded: dict[str, exp.Expression] = {}
        self.sizes: dict[str, int] = {}  # syntax nodes of each expanded trait
        self.stack: list[str] = []  # traits being expanded, to name a cycle
        self.any_column = False  # columns not known yet: names are checked later
        if clash := sorted(self.columns & self.traits.keys()):  # a rule could mean either
            raise RuleError(audience, f"trait name collides with column '{clash[0]}'",
                            trait=clash[0])

    def parse(self, source: _Source) -> exp.Expression:
        """Exactly one expression within the size limits, every node of it on the allowlist."""
        if reason := length_problem(source.text, source.kind):  # before any work on it
            raise source.error(reason)
        with _stack_guard(source):
            try:
                source.tokens = sqlglot.Dialect[AUTHORING_DIALECT]().tokenize(source.text)
                if ends := [t for t in source.tokens if t.token_type == TokenType.SEMICOLON]:
                    raise source.error("only one expression is allowed (found `;`)",
                                       ends[0].start)
                if problem := token_problem(source.tokens, source.kind):
                    raise source.error(*problem)
                statements = sqlglot.parse(source.text, read=AUTHORING_DIALECT)
            except ParseError as error:  # sqlglot's position: the offending token's last char
                info = error.errors[0] if error.errors else {}
                near = f" near {shown(info['highlight'])}" if info.get("highlight") else ""
                why = re.sub(r"<class '[\w.]*\.(\w+)'>", r"\1",
                             info.get("description") or str(error))
                raise RuleError(self.audience, f"syntax error{near}: {why}",
                                line=info.get("line"), column=info.get("col"),
                                trait=source.trait, subject=source.subject) from None
            except SqlglotError as error:  # tokenizer errors carry no position
                raise source.error(f"cannot tokenize it (unclosed quote?): {error}") from None
            if not statements or statements[0] is None:  # blank, or only a comment
                raise source.error(f"the {source.kind} is empty")
            for node in statements[0].walk(bfs=False):  # pre-order: outermost problem first
                if reason := self.rejection(node, source):
                    raise source.error(reason, node)
            return statements[0]

    def rejection(self, node: exp.Expression, source: _Source) -> str | None:
        """Why `node` may not appear in a rule, or None when it may."""
        if isinstance(node, STATEMENTS):
            kind = source.tokens[0].text.upper() if node.parent is None else node.key.upper()
            article = "an" if kind[0] in "AEIOU" else "a"
            what = "an expression" if source.subject else "a boolean expression"
            return f"only {what} is allowed, not {article} {kind} statement"
        if reason := next((why for types, why in FORBIDDEN if isinstance(node, types)), None):
            return reason
        if isinstance(node, exp.Column):
            name, known = node.name.lower(), self.columns | self.traits.keys()
            if node.is_star:
                return "`*` is not allowed; name the columns"
            if node.table:
                return f"qualified column '{node.sql()}' is not allowed; write just '{name}'"
            if self.any_column or name in known:
                return None
            return f"unknown column {shown(name)}{_suggest(name, known)}"
        if isinstance(node, exp.Anonymous) and node.name.lower() in ANONYMOUS:
            ok, why = ANONYMOUS[node.name.lower()]
            return None if ok(node.expressions) else why
        if isinstance(node, ALLOWED):
            return next((why for t, ok, why in SHAPES if isinstance(node, t) and not ok(node)),
                        None)
        if isinstance(node.parent, PARTS.get(type(node), ())):
            return None
        if isinstance(node, exp.Func):  # quote the function as the author spelled it
            meta = node.meta
            written = source.text[meta["start"]:meta["end"] + 1].lower() if "end" in meta else ""
            name = written if _NAME.fullmatch(written) else node.sql_name().lower()
            hint = _suggest(name, ALLOWED_FUNCTIONS) + ALLOWED_LIST
            if isinstance(node, exp.Anonymous):
                return f"unknown function '{name}'{hint}"
            return f"function '{name}' is not allowed{hint}"
        where = "an expression" if source.subject else "a rule"
        return f"`{_snippet(node)}` is not allowed in {where}"

    def expand(self, source: _Source, tree: exp.Expression) -> exp.Expression:
        """Inline traits, lower-case identifiers, and rewrite DuckDB-only spellings portably."""
        size = sum(1 for _ in tree.walk())  # grows with every inlined trait, within a budget

        def rewrite(node: exp.Expression) -> exp.Expression:
            nonlocal size
            if isinstance(node, exp.Column) and (name := node.name.lower()) in self.traits:
                body = self.trait(name, source, node)
                size += self.sizes[name]
                if size > MAX_EXPANDED_NODES:  # checked before copying: no exponential work
                    raise source.error(expansion_problem(source.kind), node)
                return exp.Paren(this=body.copy())
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
            with _stack_guard(body):
                self.expanded[name] = self.expand(body, self.parse(body))
            self.sizes[name] = sum(1 for _ in self.expanded[name].walk())
            self.stack.pop()
        return self.expanded[name]


def _non_condition(node: exp.Expression) -> exp.Expression | None:
    """The first part in a boolean position that cannot be boolean. Column (so trait) types are
    unknown, so bare references pass, as do CASE/COALESCE/NULLIF (coalesce(flag, false)).
    Iterative, left to right: a long OR chain is a deep tree."""
    maybe = (*PREDICATES, exp.Column, exp.Case, exp.Coalesce, exp.Nullif)
    pending = [node]
    while pending:
        node = pending.pop()
        if isinstance(node, exp.Paren | exp.Not):
            pending.append(node.this)
        elif isinstance(node, exp.And | exp.Or):
            pending += [node.right, node.left]
        elif not (isinstance(node, maybe)
                  or (isinstance(node, exp.Cast) and node.to.is_type("boolean"))):
            return node
    return None


def _start(node: exp.Expression, tokens: list[Token]) -> int | None:
    """Where `node` starts: sqlglot keeps offsets on identifiers, literals and named functions
    only, so other nodes start at their first offset inside (or their token, _ANCHORS)."""
    if node.parent is None and isinstance(node, (*STATEMENTS, exp.Query)):
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
