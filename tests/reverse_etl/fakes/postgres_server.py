"""A real, throwaway PostgreSQL server for tests: `cdp.local_postgres` in a temp directory.

A fake speaking the wire protocol would not catch what matters here (SQL text, constraint
errors, transactions), so tests run against the real thing on 127.0.0.1 and a free port,
with password (scram) auth for the sync's user and socket-only trust for the admin. As root,
the server runs as the `postgres` OS user (PostgreSQL refuses to run as root). Missing
server binaries are an error, never a skip: `scripts/ensure_postgres.sh` installs them.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from cdp.local_postgres import ADMIN, free_port, start, stop


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    dbname: str
    user: str
    password: str
    socket_dir: str

    def admin(self) -> psycopg.Connection:
        """Superuser connection over the Unix socket (autocommit), for test set-up and faults."""
        return psycopg.connect(host=self.socket_dir, port=self.port, dbname=self.dbname,
                               user=ADMIN, autocommit=True)

    def config(self, **overrides) -> dict:
        """A postgres_table destination config for this server (password via PGTEST_PASSWORD)."""
        return {"host": self.host, "port": self.port, "dbname": self.dbname, "user": self.user,
                "password_env": "PGTEST_PASSWORD", **overrides}


@contextmanager
def running_postgres(dbname: str = "cdp_test", user: str = "cdp_sync",
                     password: str = "sync-pw") -> Iterator[PostgresServer]:
    """Start a cluster, create `dbname` owned by password user `user`; remove it all after."""
    root = Path(tempfile.mkdtemp(prefix="cdp-pg-"))
    port = free_port()
    try:
        start(root, port, host_auth="scram-sha-256")
        with psycopg.connect(host=str(root), port=port, dbname="postgres", user=ADMIN,
                             autocommit=True) as admin:
            admin.execute(f"create role {user} login password '{password}'")
            admin.execute(f"create database {dbname} owner {user}")
        yield PostgresServer("127.0.0.1", port, dbname, user, password, str(root))
    finally:
        stop(root, mode="immediate")
        shutil.rmtree(root, ignore_errors=True)


_shared: list[PostgresServer] = []


def shared_server() -> PostgresServer:
    """One server per test process, stopped at exit: fixtures and harnesses both use it."""
    if not _shared:
        manager = running_postgres()
        _shared.append(manager.__enter__())
        atexit.register(manager.__exit__, None, None, None)
    return _shared[0]


@contextmanager
def active_postgres_database(patch, label: str) -> Iterator[str]:
    """A database of its own on the shared server (other tests keep their schemas and state),
    made the active target: CDP_TARGET and CDP_PG_* set on `patch` (a pytest MonkeyPatch).
    Yields its name; dropped afterwards."""
    server = shared_server()
    dbname = f"{label}_{uuid.uuid4().hex[:10]}"
    with server.admin() as admin:
        admin.execute(f"create database {dbname} owner {server.user}")
    patch.setenv("CDP_TARGET", "postgres")
    for name, value in (("HOST", server.host), ("PORT", str(server.port)), ("USER", server.user),
                        ("PASSWORD", server.password), ("DATABASE", dbname)):
        patch.setenv(f"CDP_PG_{name}", value)
    try:
        yield dbname
    finally:
        with server.admin() as admin:
            admin.execute(f"drop database if exists {dbname} with (force)")
