"""A real HTTP server on 127.0.0.1 for destination tests, with scriptable faults.

Each destination's fake implements its API contract as a handler `(Request) -> Reply`; a
`FaultPlan` makes the next requests misbehave the way real APIs do (429, 5xx, stalls past the
client timeout, dropped connections) before the handler is consulted.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Body = bytes | str | dict | list | None
Reply = tuple[int, dict[str, str], Body]


@dataclass
class Request:
    method: str
    path: str  # without the query string
    query: dict[str, list[str]]
    headers: dict[str, str]
    raw: bytes
    json: Any  # parsed body, or None when it is not JSON
    fault: str | None = None  # the scripted fault this request met, if any


Handler = Callable[[Request], Reply]


def ok_handler(_request: Request) -> Reply:
    return 200, {}, {"ok": True}


@dataclass
class FaultPlan:
    """Faults served to the next requests, in order, one per request, before the handler."""

    queue: deque[tuple[str, Any]] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _add(self, kind: str, arg: Any, times: int) -> FaultPlan:
        with self.lock:
            self.queue.extend([(kind, arg)] * times)
        return self

    def throttle(self, times: int = 1, retry_after: str | None = "1") -> FaultPlan:
        """429, with a Retry-After header unless `retry_after` is None."""
        return self._add("throttle", retry_after, times)

    def error(self, status: int = 500, times: int = 1, body: Body = "boom") -> FaultPlan:
        return self._add("error", (status, body), times)

    def stall(self, seconds: float, times: int = 1) -> FaultPlan:
        """Hold the request `seconds` before answering (set it past the client's read timeout)."""
        return self._add("stall", seconds, times)

    def drop(self, times: int = 1) -> FaultPlan:
        """Close the connection without sending any response."""
        return self._add("drop", None, times)

    def next(self) -> tuple[str, Any] | None:
        with self.lock:
            return self.queue.popleft() if self.queue else None


class LoopbackServer:
    """`with LoopbackServer(handler) as server:` then send to `server.url`."""

    def __init__(self, handler: Handler = ok_handler) -> None:
        self.handler = handler
        self.faults = FaultPlan()
        self.requests: list[Request] = []
        self.errors: list[BaseException] = []  # exceptions raised by the handler
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler_class(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._closing.set()  # cut stalls short
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def reply_for(self, request: Request) -> Reply | None:
        """The reply to send, or None to drop the connection."""
        fault = self.faults.next()
        request.fault = fault and fault[0]
        self.record(request)
        if fault is None:
            try:
                return self.handler(request)
            except Exception as exc:  # surface fake bugs to the test instead of hanging
                self.errors.append(exc)
                return 500, {}, f"handler error: {exc!r}"
        kind, arg = fault
        if kind == "throttle":
            return 429, ({} if arg is None else {"Retry-After": arg}), "slow down"
        if kind == "error":
            return arg[0], {}, arg[1]
        if kind == "stall":
            self._closing.wait(arg)
            return 200, {}, {"ok": True, "stalled": True}
        return None


def _encode(body: Body, headers: dict[str, str]) -> bytes:
    if isinstance(body, dict | list):
        headers.setdefault("Content-Type", "application/json")
        return json.dumps(body).encode()
    if isinstance(body, str):
        headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        return body.encode()
    return body or b""


def _make_handler_class(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like real APIs
        # Headers and body leave in two writes: with Nagle on, the second waits for the
        # client's delayed ACK, 40 ms a request, which tests sending thousands cannot afford.
        disable_nagle_algorithm = True

        def _handle(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                parsed = json.loads(raw) if raw else None
            except ValueError:
                parsed = None
            url = urlsplit(self.path)
            request = Request(self.command, url.path, parse_qs(url.query),
                              dict(self.headers.items()), raw, parsed)
            reply = server.reply_for(request)
            if reply is None:
                self.close_connection = True
                return
            status, headers, body = reply
            headers = dict(headers)
            payload = _encode(body, headers)
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:  # the client gave up (timeout) before we answered
                self.close_connection = True

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

    return _Handler
