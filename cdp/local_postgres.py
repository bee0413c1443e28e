"""A PostgreSQL server run by the project itself: `initdb` + `pg_ctl` under a folder of ours.

For "Run on PostgreSQL" without a server of your own (`cdp postgres start`, `make
run-postgres`) and for the tests, which start throwaway ones. It listens on 127.0.0.1 only
and trusts local connections (no password to keep anywhere). As root, the server runs as the
`postgres` OS user (PostgreSQL refuses to run as root). Missing server binaries are one
line: `scripts/ensure_postgres.sh` installs them.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
from pathlib import Path

ADMIN = "postgres"
INSTALL_HINT = ("PostgreSQL server binaries (initdb, pg_ctl) not found under "
                "/usr/lib/postgresql/*/bin or on PATH: run scripts/ensure_postgres.sh")


class PostgresError(RuntimeError):
    """The local server could not be set up or started (the message says why)."""


def server_binaries() -> Path:
    """The newest installed server's bin directory (Debian layout first, then PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb)).parent
    raise PostgresError(INSTALL_HINT)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(root: Path) -> list[str]:
    if os.geteuid() != 0:
        return []
    try:
        owner = pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresError("running as root needs a `postgres` OS user: "
                            "run scripts/ensure_postgres.sh") from None
    os.chown(root, owner.pw_uid, owner.pw_gid)
    # runuser lives in sbin, which a minimal PATH (env -i, some CI runners) leaves out.
    runuser = shutil.which("runuser") or next(
        (p for p in ("/usr/sbin/runuser", "/sbin/runuser") if os.path.exists(p)), "runuser")
    return [runuser, "-u", "postgres", "--"]


def is_running(root: Path) -> bool:
    return (Path(root) / "data" / "postmaster.pid").exists()


def start(root: Path, port: int, *, host_auth: str = "trust") -> None:
    """Create the cluster under `root` (once) and start it on 127.0.0.1:`port` (if stopped)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    as_server, bin_dir = _as_server_user(root), server_binaries()
    data, log = root / "data", root / "server.log"

    def run(*args: str) -> None:
        subprocess.run([*as_server, str(bin_dir / args[0]), *args[1:]], check=True,
                       capture_output=True, text=True, cwd=root)

    if not (data / "PG_VERSION").exists():
        run("initdb", "-D", str(data), "-U", ADMIN, "--auth-local=trust",
            f"--auth-host={host_auth}", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
    if is_running(root):
        return
    options = (f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root}"
               " -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
    try:
        run("pg_ctl", "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start")
    except subprocess.CalledProcessError as error:
        tail = log.read_text()[-2000:] if log.exists() else error.stderr
        raise PostgresError(f"PostgreSQL failed to start on port {port}:\n{tail}") from None


def stop(root: Path, *, mode: str = "fast") -> None:
    """Stop the server under `root` if it runs (`immediate` for throwaway clusters)."""
    root = Path(root)
    if is_running(root):
        subprocess.run([*_as_server_user(root), str(server_binaries() / "pg_ctl"), "-D",
                        str(root / "data"), "-m", mode, "-w", "stop"], capture_output=True,
                       cwd=root)


def create_database(root: Path, port: int, dbname: str) -> None:
    """Create `dbname` when missing (as the admin, over the server's socket)."""
    import psycopg

    with psycopg.connect(host=str(root), port=port, dbname="postgres", user=ADMIN,
                         autocommit=True) as admin:
        if not admin.execute("select 1 from pg_database where datname = %s",
                             [dbname]).fetchone():
            admin.execute(f'create database "{dbname}"')
