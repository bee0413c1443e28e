"""Browser cookies and app devices per person, the anonymous identifiers of web and app.

A cookie is linkable only if some event on it carries a user id or email (it "identifies");
a device only if someone logs in on it. Most of each do; the few that never do get a single
event, so that unlinkable records stay rare. A few household devices are shared by two
members who each log in with their own account.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdp.generate.arrays import choice, expand, hex_matrix, pick, stage_rng, text_from_matrix, uuid4

PLATFORMS = ("ios", "android", "tvos", "androidtv")


@dataclass
class Channels:
    cookie_owner: np.ndarray  # person index, ascending
    cookie_id: pa.Array
    cookie_identifies: np.ndarray
    cookie_start: np.ndarray
    cookie_agent: np.ndarray  # index into USER_AGENTS
    cookie_ip: pa.Array
    device_owner: np.ndarray  # person index, ascending
    device_id: pa.Array
    device_platform: np.ndarray  # index into PLATFORMS
    device_logs_in: np.ndarray
    device_start: np.ndarray
    device_shared_with: np.ndarray  # another household member using it, or -1
    device_version: np.ndarray
    device_push_token: pa.Array

    def cookies_of(self, lo: int, hi: int) -> slice:
        return slice(*np.searchsorted(self.cookie_owner, [lo, hi]))

    def devices_of(self, lo: int, hi: int) -> slice:
        return slice(*np.searchsorted(self.device_owner, [lo, hi]))


def ip_addresses(rng: np.random.Generator, n: int) -> pa.Array:
    octets = [pc.cast(pa.array(rng.integers(lo, 255, size=n)), pa.string()) for lo in (11, 0, 0, 1)]
    return pc.binary_join_element_wise(*octets, ".")


def build_channels(population, seed: int) -> Channels:
    rng = stage_rng(seed, "channels")
    n = population.n
    known = ~population.anonymous

    # Cookies: web users browse on 1-4 browsers; anonymous visitors on one (sometimes two).
    cookie_count = np.where(population.web_user, 1 + np.minimum(rng.poisson(0.6, n), 3), 0)
    cookie_count = np.where(population.anonymous, 1 + (rng.random(n) < 0.1), cookie_count)
    owner, position = expand(cookie_count)
    k = len(owner)
    later_start = population.lifetime_times(rng, owner, skew=1.3)
    cookie_start = np.where(position == 0, population.born_at[owner], later_start)

    # Devices: app users have a phone/TV app, some two; a few share one with a housemate.
    device_count = np.where(population.app_user, 1 + (rng.random(n) < 0.2), 0)
    d_owner, d_position = expand(device_count)
    d = len(d_owner)
    platform = choice(rng, d, (0.35, 0.35, 0.12, 0.18))
    apple = np.isin(platform, (0, 2))
    android_id = text_from_matrix(hex_matrix(rng.integers(0, 2**62, size=d, dtype=np.int64), 16))
    device_id = pc.if_else(pa.array(apple), uuid4(rng, d, upper=True), android_id)
    household = population.household
    has_account = population.ids.has_account
    housemate = np.full(d, -1, dtype=np.int64)
    for step in (1, -1):  # the next (or previous) member of the same household with an account
        other = np.clip(d_owner + step, 0, n - 1)
        ok = (household[other] == household[d_owner]) & has_account[other] & (other != d_owner)
        housemate = np.where((housemate < 0) & ok, other, housemate)
    shared = (d_position == 0) & (housemate >= 0) & (rng.random(d) < 0.08)
    push_token = text_from_matrix(np.hstack([
        hex_matrix(rng.integers(0, 2**62, size=d, dtype=np.int64), 16) for _ in range(4)
    ]))

    return Channels(
        cookie_owner=owner,
        cookie_id=uuid4(rng, k),
        cookie_identifies=known[owner] & (rng.random(k) < 0.98),
        cookie_start=cookie_start,
        cookie_agent=pick(rng, np.full(k, 6)),
        cookie_ip=ip_addresses(rng, k),
        device_owner=d_owner,
        device_id=device_id,
        device_platform=platform,
        device_logs_in=rng.random(d) < 0.97,
        device_start=population.lifetime_times(rng, d_owner, skew=1.5),
        device_shared_with=np.where(shared, housemate, -1),
        device_version=pick(rng, np.full(d, 6)),
        device_push_token=pc.if_else(pa.array(rng.random(d) < 0.6), push_token,
                                     pa.scalar(None, pa.string())),
    )
