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
- e-mail addresses -> `[email]` and phone numbers -> `[phone]`.

It must not eat the words that say what failed: plain words, record keys (`p_000123`), hex
hashes, HTTP statuses, dates and times stay as they are. Redacting twice changes nothing.
"""

from __future__ import annotations

import re
import threading
from urllib.parse import quote, quote_plus

REDACTED = "[REDACTED]"
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
    return _PHONE.sub("[phone]", text)
