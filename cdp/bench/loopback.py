"""A loopback webhook receiver in its own process (so it does not share the sync's interpreter
lock), answering every batch as the webhook destination's contract expects: the benchmarks'
destination."""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        json.loads(body)  # a receiver that reads what it gets
        reply = b'{"rejected": []}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args) -> None:
        pass


def _serve(port_queue) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    port_queue.put(server.server_address[1])
    server.serve_forever()


SECRET_ENV = "CDP_BENCH_WEBHOOK_SECRET"


@contextmanager
def loopback_webhook() -> Iterator[dict]:
    """A webhook destination's config (url, secret_env) for a receiver on 127.0.0.1, stopped
    on exit; the secret and the loopback allowance are set in this process's environment."""
    os.environ[SECRET_ENV] = "bench"
    os.environ.setdefault("CDP_ALLOW_PRIVATE_NETWORKS", "127.0.0.1/32")
    ports = multiprocessing.Queue()
    receiver = multiprocessing.Process(target=_serve, args=(ports,), daemon=True)
    receiver.start()
    try:
        yield {"url": f"http://127.0.0.1:{ports.get(timeout=10)}/hooks",
               "secret_env": SECRET_ENV}
    finally:
        # SIGKILL, not SIGTERM: a process started with SIGTERM ignored (some CI runners) passes
        # that on, and the receiver would outlive us with our exit waiting for it.
        receiver.kill()
        receiver.join(timeout=10)
