"""Size limits of rules, traits and value expressions, checked before sqlglot parses them.

sqlglot's parser recurses once per nesting level (and sqlglot trees are walked and rendered
recursively), so a hostile text such as 500 nested parentheses exhausts Python's stack: a
RecursionError with a 1,000-line traceback instead of a reason. These checks run on the raw
text and on the token stream, so refusing such a text costs almost nothing; the limits are
far above what a marketer writes (long lists of values belong in `IN (...)`).
"""

from __future__ import annotations

from sqlglot.tokens import Token, TokenType

MAX_CHARS = 20_000
MAX_NESTING = 50  # parentheses (and brackets) open at once
MAX_BOOLEAN_OPERATORS = 250  # AND/OR keywords (BETWEEN's AND included)
MAX_EXPANDED_NODES = 20_000  # syntax nodes once traits are inlined: traits reusing traits grow fast

_OPENING = {TokenType.L_PAREN, TokenType.L_BRACKET, TokenType.L_BRACE}
_CLOSING = {TokenType.R_PAREN, TokenType.R_BRACKET, TokenType.R_BRACE}
_BOOLEAN = {TokenType.AND, TokenType.OR}


def length_problem(text: str, kind: str) -> str | None:
    """Why `text` (a `kind`: rule, trait or expression) is too long to tokenize, if it is."""
    if len(text) > MAX_CHARS:
        return f"the {kind} is {len(text):,} characters long; the limit is {MAX_CHARS:,}"
    return None


def token_problem(tokens: list[Token], kind: str) -> tuple[str, int] | None:
    """The reason and the offset of the first token over a limit, if any token is."""
    depth = deepest = operators = 0
    too_deep = too_many = None  # the first token past each limit, to point at
    for token in tokens:
        if token.token_type in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
            if depth > MAX_NESTING and too_deep is None:
                too_deep = token
        elif token.token_type in _CLOSING:
            depth = max(depth - 1, 0)
        elif token.token_type in _BOOLEAN:
            operators += 1
            if operators > MAX_BOOLEAN_OPERATORS and too_many is None:
                too_many = token
    if too_deep is not None:
        return (f"the {kind} nests parentheses {deepest:,} deep; the limit is {MAX_NESTING}",
                too_deep.start)
    if too_many is not None:
        return (f"the {kind} has {operators:,} AND/OR operators; the limit is "
                f"{MAX_BOOLEAN_OPERATORS} (for lists of values use IN (...))", too_many.start)
    return None


def expansion_problem(kind: str) -> str:
    return (f"the {kind} grows past {MAX_EXPANDED_NODES:,} syntax nodes once its traits are "
            f"expanded; the limit is {MAX_EXPANDED_NODES:,} (do traits reuse each other often?)")


def too_complex(kind: str) -> str:
    """The reason given when Python's stack runs out anyway (e.g. thousands of nested NOTs)."""
    return (f"the {kind} is too complex to check (nested too deeply); simplify it, e.g. use "
            "IN (...) instead of chains of OR, and fewer nested NOTs or parentheses")
