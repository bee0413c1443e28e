"""A real, throwaway PostgreSQL server for tests: `initdb` + `pg_ctl` in a temp directory.

A fake speaking the wire protocol would not catch what matters here (SQL text, constraint
errors, transactions), so tests run against the real thing on 127.0.0.1 and a free port,
with password (scram) auth for the sync's user and socket-only trust for the admin. As root,
the server runs as the `postgres` OS user (PostgreSQL refuses to run as root). Missing
server binaries are an error, never a skip: `scripts/ensure_postgres.sh` installs them.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

ADMIN = "postgres"
INSTALL_HINT = ("PostgreSQL server binaries (initdb, pg_ctl) not found under "
                "/usr/lib/postgresql/*/bin or on PATH: run scripts/ensure_postgres.sh")


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


def server_binaries() -> Path:
    """The newest installed server's bin directory (Debian layout first, then PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb)).parent
    raise RuntimeError(INSTALL_HINT)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_postgres(dbname: str = "cdp_test", user: str = "cdp_sync",
                     password: str = "sync-pw") -> Iterator[PostgresServer]:
    """Start a cluster, create `dbname` owned by password user `user`; remove it all after."""
    bin_dir = server_binaries()
    as_postgres: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="cdp-pg-"))
    if os.geteuid() == 0:  # postgres will not run as root
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise RuntimeError("running as root needs a `postgres` OS user: "
                               "run scripts/ensure_postgres.sh") from None
        os.chown(root, owner.pw_uid, owner.pw_gid)
        # runuser lives in sbin, which a minimal PATH (env -i, some CI runners) leaves out.
        runuser = shutil.which("runuser") or next(
            (p for p in ("/usr/sbin/runuser", "/sbin/runuser") if os.path.exists(p)), "runuser")
        as_postgres = [runuser, "-u", "postgres", "--"]
    data, log = root / "data", root / "server.log"

    def run(*args: str) -> None:
        subprocess.run([*as_postgres, str(bin_dir / args[0]), *args[1:]], check=True,
                       capture_output=True, text=True, cwd=root)

    port = free_port()
    try:
        run("initdb", "-D", str(data), "-U", ADMIN, "--auth-local=trust",
            "--auth-host=scram-sha-256", "--encoding=UTF8", "--no-sync")
        options = (f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root}"
                   " -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        try:
            run("pg_ctl", "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60",
                "start")
        except subprocess.CalledProcessError as error:
            tail = log.read_text()[-2000:] if log.exists() else error.stderr
            raise RuntimeError(f"PostgreSQL failed to start on port {port}:\n{tail}") from None
        with psycopg.connect(host=str(root), port=port, dbname="postgres", user=ADMIN,
                             autocommit=True) as admin:
            admin.execute(f"create role {user} login password '{password}'")
            admin.execute(f"create database {dbname} owner {user}")
        yield PostgresServer("127.0.0.1", port, dbname, user, password, str(root))
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-m",
                            "immediate", "-w", "stop"], capture_output=True, cwd=root)
        shutil.rmtree(root, ignore_errors=True)


_shared: list[PostgresServer] = []


def shared_server() -> PostgresServer:
    """One server per test process, stopped at exit: fixtures and harnesses both use it."""
    if not _shared:
        manager = running_postgres()
        _shared.append(manager.__enter__())
        atexit.register(manager.__exit__, None, None, None)
    return _shared[0]
