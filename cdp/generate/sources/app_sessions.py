"""When each app device is used, by whom, and which events each session holds (numpy only).

A device's first session follows its install; later ones come in bursts (a binge week),
skewed towards recent weeks. Shared devices give ~30% of their sessions to the housemate, who
logs in with their own account. Crash-prone devices (an old phone, a bad build) have a recent
burst of sessions that often end in a crash, and forgetful users fail to log in several times,
so some people have several crashes or failed logins within one week. Devices nobody ever
logs in on send a single `session_start`. app.py turns these arrays into JSON lines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cdp.generate.arrays import expand
from cdp.generate.context import ChunkContext

DAY = 86_400
# Event codes, in the order of app.EVENT_NAMES.
START, SCREEN, PLAY, LOGIN, LOGOUT, FAILED, CRASH, PUSH = range(8)
# Milliseconds between an event and the one before it in its session: (low, high).
GAP_MS = {START: (0, 1), SCREEN: (2_000, 90_000), LOGIN: (5_000, 60_000),
          LOGOUT: (5_000, 120_000), FAILED: (4_000, 40_000), CRASH: (3_000, 300_000),
          PUSH: (150, 1_500), PLAY: (1_000, 15_000)}


@dataclass
class Events:
    device: np.ndarray  # index into the chunk's device slice
    person: np.ndarray  # who used the app: the owner, or the housemate on a shared device
    session: np.ndarray  # session number within the chunk (for session ids)
    code: np.ndarray  # event code (START...PUSH)
    ts_ms: np.ndarray  # epoch milliseconds
    signed_in: np.ndarray  # event carries the user's account id
    version: np.ndarray  # index into APP_VERSIONS when the session started
    content: np.ndarray  # index into CONTENT on plays, -1 elsewhere
    played: np.ndarray  # seconds played on plays, 0 elsewhere
    crashy: np.ndarray  # per event: the device is crash-prone
    sessions: int


def schedule(ctx: ChunkContext, rng: np.random.Generator, plays) -> Events:
    """Sessions and events of the chunk's devices; `plays(rng, person)` -> (content, seconds)."""
    pop, ch = ctx.population, ctx.population.channels
    dev = ch.devices_of(ctx.lo, ctx.hi)
    owner, logs_in = ch.device_owner[dev], ch.device_logs_in[dev]
    start, mate = ch.device_start[dev], ch.device_shared_with[dev]
    d = len(owner)
    crashy = logs_in & (rng.random(d) < 0.07)
    forgetful = rng.random(d) < 0.10
    has_push = ch.device_push_token[dev].is_valid().to_numpy(zero_copy_only=False)

    # Sessions: a few per device, more on shared ones; crash-prone devices get a bad patch.
    base = 1 + rng.poisson(1.0, d) + np.where(mate >= 0, rng.poisson(1.0, d), 0)
    extra = np.where(crashy, 1 + rng.poisson(2.0, d), 0)
    s_dev, s_pos = expand(np.where(logs_in, base + extra, 1))
    s = len(s_dev)
    s_owner, s_mate = owner[s_dev], mate[s_dev]
    lo_mate = np.maximum(start[s_dev], pop.born_at[np.maximum(s_mate, 0)])
    hi_mate = np.minimum(pop.gone_at[s_owner], pop.gone_at[np.maximum(s_mate, 0)])
    by_mate = ((s_mate >= 0) & logs_in[s_dev] & (lo_mate + DAY < hi_mate)
               & (rng.random(s) < 0.3))
    person = np.where(by_mate, s_mate, s_owner)
    lo = np.where(by_mate, lo_mate, start[s_dev])
    hi = np.where(by_mate, hi_mate, pop.gone_at[s_owner])

    # Where in [lo, hi] each session falls: install day, a recent binge week, or a bad patch.
    in_patch = s_pos >= base[s_dev]
    second_burst = (rng.random(d) < 0.6)[s_dev] & (rng.random(s) < 0.75) & (s_pos > 0)
    burst_at = np.select([in_patch, second_burst],
                         [(1 - rng.random(d) ** 3)[s_dev], (1 - rng.random(d) ** 1.5)[s_dev]], 0.0)
    jitter = np.where(s_pos == 0, rng.random(s) * 2 * 3600, rng.random(s) * 6 * DAY)
    room = np.maximum(hi - lo - 7 * DAY, 0)  # a burst week still fits before the end
    t0 = lo + np.minimum(burst_at * room + jitter, hi - lo).astype(np.int64)

    # Order each device's sessions in time; the first one (and account switches) log in.
    order = np.lexsort((t0, s_dev))
    s_dev, s_pos, person, lo, hi, t0 = (a[order] for a in (s_dev, s_pos, person, lo, hi, t0))
    in_patch = in_patch[order]
    first = np.r_[True, s_dev[1:] != s_dev[:-1]]
    switched = ~first & (person != np.r_[-1, person[:-1]])
    last = np.r_[s_dev[1:] != s_dev[:-1], True]
    next_switches = np.r_[switched[1:], False]
    active = logs_in[s_dev]
    reauth = rng.random(s) < np.where(forgetful[s_dev], 0.3, 0.04)
    login = active & (first | switched | reauth)
    fails = np.where(forgetful[s_dev] & (rng.random(s) < 0.7), 1 + rng.poisson(1.0, s),
                     (rng.random(s) < 0.05).astype(np.int64)) * login
    crash_p = np.where(crashy[s_dev], np.where(in_patch, 0.55, 0.15), 0.03)
    crash = active & (rng.random(s) < crash_p)
    logout = active & ~crash & ~last & np.where(next_switches, rng.random(s) < 0.6,
                                                 rng.random(s) < 0.03)
    push = active & has_push[s_dev] & (rng.random(s) < 0.15)
    body = np.where(active, 1 + rng.poisson(np.where(crash, 0.4, 1.0)), 0)

    # Events: start, push opened, failed logins, login, screens and plays, crash or logout.
    sizes = 1 + push + fails + login + body + (crash | logout)
    e_ses, e_pos = expand(sizes)
    n = len(e_ses)
    k_push = 1 + push[e_ses]
    k_fail = k_push + fails[e_ses]
    k_login = k_fail + login[e_ses]
    k_body = k_login + body[e_ses]
    is_play = (e_pos > k_login) & (rng.random(n) < 0.55)
    code = np.select(
        [e_pos == 0, e_pos < k_push, e_pos < k_fail, e_pos < k_login, e_pos < k_body],
        [START, PUSH, FAILED, LOGIN, np.where(is_play, PLAY, SCREEN)],
        np.where(crash[e_ses], CRASH, LOGOUT))
    e_person = person[e_ses]
    content, played = np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=np.int64)
    content[code == PLAY], played[code == PLAY] = plays(rng, e_person[code == PLAY])

    # Times: gaps accumulate within a session; sessions of one device never overlap.
    low = np.array([GAP_MS[c][0] for c in range(8)])[code]
    high = np.array([GAP_MS[c][1] for c in range(8)])[code]
    gap = np.where(e_pos == 0, 0, low + (rng.random(n) * (high - low)).astype(np.int64))
    gap += played * 1000
    total = np.cumsum(gap)
    heads = np.r_[0, np.flatnonzero(np.diff(e_ses)) + 1].astype(np.int64)
    offset = total - (total - gap)[heads][e_ses] if n else total
    length = offset[np.r_[heads[1:] - 1, n - 1].astype(np.int64)] // 1000 + 1 if n else offset
    busy = length + 60 + (rng.random(s) * 3600).astype(np.int64)
    t0 = _no_overlap(s_dev, np.maximum(lo, np.minimum(t0, hi - length)), busy)
    # ...and, pushed back where that ran past the user's last day, still end in time.
    before = np.r_[0, busy[:-1]]  # busy of the previous session, seen from the next one
    t0 = -_no_overlap(s_dev[::-1], -np.minimum(t0, hi - length)[::-1], before[::-1])[::-1]
    t0 = np.maximum(t0, lo)
    ts = (t0 * 1000 + (rng.random(s) * 1000).astype(np.int64))[e_ses] + offset
    ts = np.minimum(ts, hi[e_ses] * 1000 + 999)

    # The account shows from the device's first login on (the login event itself included).
    pre_login = first[e_ses] & (e_pos < k_fail)
    # A release every ~6 months; a third of devices (by their version habit) lag one behind.
    release = (t0 - pop.start) * 6 // (pop.end - pop.start + 1)
    version = np.clip(release - (ch.device_version[dev][s_dev] >= 4), 0, 5)
    return Events(device=s_dev[e_ses], person=e_person, session=e_ses, code=code, ts_ms=ts,
                  signed_in=active[e_ses] & ~pre_login, version=version[e_ses],
                  content=content, played=played, crashy=crashy[s_dev][e_ses], sessions=s)


def _no_overlap(group: np.ndarray, t0: np.ndarray, busy: np.ndarray) -> np.ndarray:
    """Push sessions later so each starts after the previous one of its group ends.

    t[k] = max(t0[k], t[k-1] + busy[k-1]) is D[k] + running max of (t0 - D), with D the
    group's exclusive running sum of busy: a cumulative max per group, offset by group.
    """
    if len(t0) == 0:
        return t0
    total = np.cumsum(busy)
    starts = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
    owner = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(group)]))
    dsum = total - busy - (total - busy)[starts][owner]
    lift = owner.astype(np.int64) << 36
    return np.maximum.accumulate(t0 - dsum + lift) - lift + dsum
