"""A requests adapter that checks every connected socket against the address policy.

The pre-flight check resolves a host once; the connection may resolve it again and get
another answer (DNS rebinding), and absolute URLs from the remote (pagination links) were
never pre-flighted at all. So the check that counts runs on the socket itself: right after
the TCP connect, before the TLS handshake or any byte of the request, the peer address is
judged and a refused connection is closed (`address_policy.check_peer`).

Through a proxy from the environment (HTTPS_PROXY) the proxy makes the connection: requests
builds a separate proxy manager for it, which this adapter leaves as it is; the operator
chose that proxy, and the pre-flight check still judged the destination's host.
"""

from __future__ import annotations

import socket
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from reverse_etl.transport.address_policy import check_peer


class GuardedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        check_peer(sock, self.host)
        return sock


class GuardedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        check_peer(sock, self.host)
        return sock


class GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """Mount on a session (`http://` and `https://`) to apply the policy to every connection."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": GuardedHTTPConnectionPool, "https": GuardedHTTPSConnectionPool}
