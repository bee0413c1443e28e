"""One bench step: a command in its own process, timed, with that process's peak memory.

Each step runs as a child process and is reaped with `os.wait4`, whose resource usage is that
child's alone (not an earlier step's). Linux starts a child's peak RSS at its parent's at the
fork, so the bench's own process does no heavy work: every step is a child.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Step:
    name: str
    wall_s: float
    peak_rss_mb: int
    ok: bool
    log: str  # where its output went

    def as_json(self) -> dict:
        return {"step": self.name, "wall_s": round(self.wall_s, 2),
                "peak_rss_mb": self.peak_rss_mb, "ok": self.ok}


def cdp_command(*args: str) -> list[str]:
    """`cdp ARGS` as this interpreter runs it (no dependence on PATH)."""
    return [sys.executable, "-m", "cdp.cli", *args]


def run_step(name: str, argv: list[str], env: dict[str, str], logs: Path) -> Step:
    """Run `argv`, its output to `logs/<name>.log`; a failed step is reported, not raised."""
    log = logs / f"{name.replace(' ', '_')}.log"
    started = time.perf_counter()
    with log.open("w") as out:
        child = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env)
        _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    return Step(name, wall, usage.ru_maxrss // 1024, child.returncode == 0, str(log))
