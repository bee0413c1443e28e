"""Redaction of secrets and personal data in text we store, print or log.

Error bodies and exception texts come from systems we do not control: a receiver that echoes
the request headers sends our bearer token back, `requests` puts the whole URL (query string
and its token included) into its exception texts, and per-record errors quote the customer's
email or phone. Whatever becomes an error message, a stored failure reason or a log line goes
through `redact`, which replaces:

- values registered with `register_secret` (every secret read from the environment, auth
  headers, query-string values of configured URLs), longest first -> `[REDACTED]`;
- `Authorization` / `Proxy-Authorization` header values, also as JSON or Python-dict text;
- `Bearer <credential>` and `Basic <base64>` credentials;
- values of sensitive-looking keys (token, api_key, secret, password, signature, ...) in query
  strings, forms, JSON and header lines;
- `user:password@` in URLs;
- e-mail addresses -> `[email]` and phone numbers -> `[phone]`;
- the text values of the records being sent (`payload_values`) -> `[value]`: a receiver that
  echoes the request quotes names, postcodes and cities that no pattern recognises.

It must not eat the words that say what failed: plain words, record keys (`p_000123`), hex
hashes, HTTP statuses, dates and times stay as they are. Redacting twice changes nothing.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Mapping
from contextvars import ContextVar, Token
from typing import Any
from urllib.parse import quote, quote_plus

REDACTED = "[REDACTED]"
VALUE = "[value]"
MIN_SECRET_LENGTH = 4  # shorter values would redact ordinary words and numbers

_secrets: tuple[str, ...] = ()  # longest first, so a secret's prefix never leaves a tail
_secrets_lock = threading.Lock()

# A value already redacted is left alone: `[REDACTED]` would otherwise lose its `]`.
_QUOTED_OR_BARE = r"""(?P<value>(?!\[REDACTED\])(?:"(?:[^"\\]|\\.)*"|'[^']*'|{bare}))"""
# `Authorization: Bearer x` (header line, value to the end of the line) or as JSON/dict text.
_AUTH_HEADER = re.compile(
    r"""(?P<key>(?<![\w-])(?:proxy-)?authorization\\?["']?\s*+[:=]\s*+)"""
    + _QUOTED_OR_BARE.format(bare=r"""\\?"[^"\\]*\\?"|[^\r\n"',}]+"""),
    re.IGNORECASE)
# A bearer credential needs a digit or a symbol, so "invalid bearer token" stays readable.
_BEARER = re.compile(r"(?i)\b(?P<scheme>bearer)\s+(?=[\w.~+/-]*[0-9_~+/=-])[\w.~+/-]+=*")
_BASIC = re.compile(r"\b(?P<scheme>Basic)\s+(?=[A-Za-z0-9+/]*[0-9+/=])[A-Za-z0-9+/]{8,}={0,2}")
_SENSITIVE_KEY = re.compile(
    r"""(?P<key>(?<![\w-])(?:[\w-]*(?:token|secret|password|passwd|signature)|api[_-]?key|apikey"""
    r"""|key|sig|x-api-key)\\?["']?\s*+[:=]\s*+)"""
    + _QUOTED_OR_BARE.format(bare=r"""[^\s&"',;#)}\]]+"""),
    re.IGNORECASE)
_URL_CREDENTIALS = re.compile(r"(?i)\b(?P<scheme>[a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@")
_EMAIL = re.compile(r"[\w.%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(r"""
    (?<![\w.+/-])(?<!\d:)                       # not in a word, hash, key, path, number, time
    (?!\d{4}[-./]\d{1,2}[-./]\d{1,2})           # 2026-12-01
    (?!\d{1,2}[-./]\d{1,2}[-./]\d{4}(?!\d))     # 01.12.2026
    (?!\d{1,3}(?:\.\d{1,3}){3}(?!\d))           # an IPv4 address
    \+?\(?\d(?:[\s.()-]{0,3}\d){6,14}           # 7 to 15 digits, grouped any usual way
    (?![\w])
""", re.VERBOSE)


def register_secret(value: str | None) -> None:
    """Never let `value` (nor its URL-encoded forms) appear in redacted text again."""
    global _secrets
    if value is None or len(value) < MIN_SECRET_LENGTH:
        return
    forms = {value, quote(value, safe=""), quote_plus(value)}
    with _secrets_lock:
        _secrets = tuple(sorted(set(_secrets) | forms, key=len, reverse=True))


class _PayloadValues:
    """Text values of the records in flight, found in a text by word lookup: one dict probe
    per word of the text, however many records the batch holds (a regex alternation of
    60,000 values would try each of them at every position)."""

    _WORD = re.compile(r"\w+")
    # Left alone, as they are words of our own messages more often than personal data: short
    # numbers (counts, statuses, years), lower-case one-word codes (`email`, `active`,
    # `at_risk`: a trait's categories) and two- or three-letter codes (`US`, `EUR`). Names,
    # streets and cities in marts are capitalised, e-mails and phones have their own patterns.
    _CODE = re.compile(r"[\d.,:+-]{1,5}|[a-z][a-z0-9_]*|[A-Z]{2,3}")

    def __init__(self, records: Iterable[Mapping[str, Any]]) -> None:
        self.records = records
        self._index: dict[str, list[tuple[str, int]]] | None = None  # built when first needed

    def _forms(self) -> Iterable[str]:
        stack: list[Any] = [fields.values() for fields in self.records]
        while stack:
            for value in stack.pop():
                if isinstance(value, Mapping):
                    stack.append(value.values())
                elif isinstance(value, list | tuple):
                    stack.append(value)
                elif isinstance(value, str):
                    value = value.strip()
                    if len(value) >= 2 and not self._CODE.fullmatch(value):
                        # as sent and as echoed inside JSON or a form
                        yield from {value, json.dumps(value)[1:-1], quote_plus(value)}

    def index(self) -> dict[str, list[tuple[str, int]]]:
        """First word (lower case) -> (form lower-cased, offset of that word in the form)."""
        if self._index is None:
            self._index = {}
            for form in self._forms():
                if word := self._WORD.search(form):
                    self._index.setdefault(word[0].lower(), []).append(
                        (form.lower(), word.start()))
        return self._index

    def redact(self, text: str) -> str:
        lowered = text.lower()
        if len(lowered) != len(text):  # a rare letter whose lower case is longer: exact case
            lowered = text
        index, spans, end = self.index(), [], 0
        for word in self._WORD.finditer(lowered):
            best = None
            for form, offset in index.get(word[0], ()):
                start, stop = word.start() - offset, word.start() - offset + len(form)
                if (start >= end and lowered.startswith(form, start)
                        and not (form[-1].isalnum() and lowered[stop:stop + 1].isalnum())
                        and (best is None or stop > best[1])):
                    best = (start, stop)  # the longest value starting here, whole words
            if best is not None:
                spans.append(best)
                end = best[1]
        for start, stop in reversed(spans):
            text = text[:start] + VALUE + text[stop:]
        return text


_payload: ContextVar[_PayloadValues | None] = ContextVar("cdp_payload_values", default=None)


def payload_values(records: Iterable[Mapping[str, Any]]) -> Token:
    """Redact the text values of `records` (field name -> value) too, in this context (this
    thread) until `forget_payload_values(token)`; a later call replaces them."""
    return _payload.set(_PayloadValues(list(records)))


def forget_payload_values(token: Token) -> None:
    _payload.reset(token)


def _keep_quotes(match: re.Match) -> str:
    """`key: "secret"` -> `key: "[REDACTED]"`, quotes (escaped or not) kept around the value."""
    value = match["value"]
    opening = re.match(r"""\\?["']""", value)
    if opening and len(value) > 2 * len(opening[0]):
        quote_text = opening[0]
        return f"{match['key']}{quote_text}{REDACTED}{quote_text}"
    return f"{match['key']}{REDACTED}"


def redact(text: str | None) -> str | None:
    """`text` with secrets, credentials, e-mail addresses and phone numbers replaced."""
    if not text:
        return text
    for secret in _secrets:
        text = text.replace(secret, REDACTED)
    text = _AUTH_HEADER.sub(_keep_quotes, text)
    text = _BEARER.sub(lambda m: f"{m['scheme']} {REDACTED}", text)
    text = _BASIC.sub(lambda m: f"{m['scheme']} {REDACTED}", text)
    text = _SENSITIVE_KEY.sub(_keep_quotes, text)
    text = _URL_CREDENTIALS.sub(lambda m: f"{m['scheme']}{REDACTED}@", text)
    text = _EMAIL.sub("[email]", text)
    text = _PHONE.sub("[phone]", text)
    payload = _payload.get()
    return payload.redact(text) if payload is not None else text
