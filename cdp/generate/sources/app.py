"""Mobile/TV app SDK events: sessions of screen views, plays, logins, crashes and push opens.

Realism (schedule in app_sessions.py): ~9 events per app user, in sessions after install and
in binge weeks skewed to recent times; events before a device's first login have no user id,
later ones the account of whoever uses the device (a housemate on ~8% of first devices); each
person has a favourite and a second-favourite title most plays go to (genre/team/artist
affinities); crash-prone devices and forgetful users give a few people several crashes or
failed logins within a week. Noise: Apple SDKs write upper-case UUIDs and `"user_id": null`
(Android leaves the key out), the oldest app version spells platforms `iOS`/`AndroidTV`, and
~1% of events are re-delivered later in the file by upload retries (same line, same event_id).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdp.generate.arrays import choice, take, uuid4, vocab, where_text
from cdp.generate.batch import Batch
from cdp.generate.context import ChunkContext
from cdp.generate.sources.app_sessions import CRASH, FAILED, LOGIN, PUSH, START, schedule
from cdp.generate.vocab_business import APP_ERRORS, APP_VERSIONS, CONTENT, LOGIN_ERRORS, SCREENS

TABLE = "app_events"
EVENT_NAMES = ("session_start", "screen_view", "content_played", "login", "logout",
               "login_failed", "app_crash", "push_opened")
# Per platform (channels.PLATFORMS order): current spelling, the oldest SDK's spelling.
PLATFORM_TEXT = ("ios", "iOS", "android", "Android", "tvos", "tvOS", "androidtv", "AndroidTV")
SCREEN_WEIGHTS = (25, 15, 30, 10, 8, 12)
# Popularity of each CONTENT title, and seconds played per content type: (low, high).
CONTENT_WEIGHTS = (10, 8, 7, 6, 5, 6, 5, 3, 4, 5, 4, 2, 3, 4)
PLAYED = {"movie": (1_500, 8_000), "series": (600, 3_300), "live_sport": (900, 7_200),
          "music": (90, 2_400), "podcast": (300, 4_200)}
LOGIN_METHODS = ("password", "magic_link", "qr_code", "apple", "google")
METHOD_WEIGHTS = np.array([(65, 20, 0, 15, 0), (65, 20, 0, 0, 15), (35, 0, 55, 10, 0),
                           (35, 0, 55, 0, 10)], dtype=float)
PUSH_CAMPAIGNS = ("new_episode", "match_starting", "weekly_picks", "continue_watching")
LOGIN_ERROR_WEIGHTS = (70, 12, 18)
APP_ERROR_WEIGHTS = (40, 20, 15, 25)
_RENDER = """
SELECT to_json(event_id)::VARCHAR AS event_id, to_json(event_name)::VARCHAR AS event_name,
    to_json(device_id)::VARCHAR AS device_id, to_json(platform)::VARCHAR AS platform,
    to_json(app_version)::VARCHAR AS app_version,
    CASE WHEN user_id IS NOT NULL THEN to_json(user_id)::VARCHAR WHEN apple THEN 'null' END
        AS user_id,
    to_json(push_token)::VARCHAR AS push_token, to_json(session_id)::VARCHAR AS session_id,
    ts_ms::VARCHAR AS event_ts,
    CASE event_name
        WHEN 'screen_view' THEN json_object('screen', screen)
        WHEN 'content_played' THEN json_merge_patch('{}', json_object(
            'content_id', content_id, 'title', title, 'content_type', content_type,
            'genre', genre, 'team', team, 'artist', artist, 'duration_sec', played))
        WHEN 'login' THEN json_object('method', method)
        WHEN 'login_failed' THEN json_object('error_code', error_code)
        WHEN 'app_crash' THEN json_object('error_code', error_code, 'screen', screen)
        WHEN 'push_opened' THEN json_object('campaign', campaign)
    END::VARCHAR AS properties
FROM t ORDER BY i
"""


def build(ctx: ChunkContext) -> dict[str, Batch]:
    rng = ctx.rng(TABLE)
    seed = ctx.seed

    def plays(rng: np.random.Generator, person: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _plays(rng, seed, person)

    ev = schedule(ctx, rng, plays)
    first = _render(ctx, ctx.rng(TABLE, part=1), ev)

    # Upload retries: the same line again, minutes to a day or two later in the file.
    again = np.flatnonzero(rng.random(first.num_rows) < 0.01)
    copies = first.take(again)
    delay = (60 + rng.random(len(again)) ** 3 * 2 * 86_400).astype(np.int64)
    copies.sort_key = np.minimum(copies.sort_key + delay, ctx.population.end)
    copies.is_duplicate[:] = True
    return {TABLE: Batch.concat([first, copies])}


def _person_uniform(seed: int, people: np.ndarray, salt: int) -> np.ndarray:
    """A uniform number per person that any chunk derives alike (splitmix64 of seed, person)."""
    x = np.asarray(people, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    x = x + np.uint64((seed * 1_000_003 + salt * 7_919) % 2**64)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return ((x ^ (x >> np.uint64(31))) >> np.uint64(11)).astype(np.float64) / 2.0**53


def _weighted(u: np.ndarray, weights) -> np.ndarray:
    cum = np.cumsum(weights) / np.sum(weights)
    return np.searchsorted(cum, u, side="right").clip(0, len(cum) - 1)


def _plays(rng: np.random.Generator, seed: int, person: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray]:
    """(content index, seconds played): most plays go to the person's two favourite titles."""
    n = len(person)
    favourite = _weighted(_person_uniform(seed, person, 1), CONTENT_WEIGHTS)
    second = _weighted(_person_uniform(seed, person, 2), CONTENT_WEIGHTS)
    u = rng.random(n)
    content = np.where(u < 0.55, favourite,
                       np.where(u < 0.75, second, choice(rng, n, CONTENT_WEIGHTS)))
    kinds = [c[2] for c in CONTENT]
    low = np.array([PLAYED[k][0] for k in kinds])[content]
    high = np.array([PLAYED[k][1] for k in kinds])[content]
    seconds = low + (rng.random(n) * (high - low)).astype(np.int64)
    abandoned = rng.random(n) < 0.1  # stopped after a few seconds or minutes
    return content, np.where(abandoned, 5 + (rng.random(n) * 115).astype(np.int64), seconds)


def _render(ctx: ChunkContext, rng: np.random.Generator, ev) -> Batch:
    pop, ch = ctx.population, ctx.population.channels
    dev = ch.devices_of(ctx.lo, ctx.hi)
    n = len(ev.code)
    device = pa.array(ev.device)
    platform = ch.device_platform[dev][ev.device]
    apple = np.isin(platform, (0, 2))
    name = ev.code

    method = (rng.random(n)[:, None] > np.cumsum(METHOD_WEIGHTS / 100, axis=1)[platform]).sum(1)
    dominant = choice(rng, int(ev.device.max()) + 1 if n else 0, APP_ERROR_WEIGHTS)[ev.device]
    crash_error = np.where(ev.crashy & (rng.random(n) < 0.7), dominant,
                           choice(rng, n, APP_ERROR_WEIGHTS))
    error = pc.if_else(pa.array(name == FAILED),
                       take(LOGIN_ERRORS, choice(rng, n, LOGIN_ERROR_WEIGHTS)),
                       take(APP_ERRORS, crash_error))
    # Crashes mostly happen in the player.
    player = (name == CRASH) & (rng.random(n) < 0.5)
    screen = take(SCREENS, np.where(player, SCREENS.index("player"),
                                    choice(rng, n, SCREEN_WEIGHTS)))
    event_id = uuid4(rng, n, upper=apple)
    token = ch.device_push_token[dev].take(device)
    has_play = pa.array(ev.content, mask=ev.content < 0)

    def content(column: int) -> pa.Array:
        return vocab([c[column] for c in CONTENT]).take(has_play)

    fields = ctx.sql(_RENDER, t=pa.table({
        "i": np.arange(n),
        "event_id": event_id,
        "event_name": take(EVENT_NAMES, name),
        "device_id": ch.device_id[dev].take(device),
        "platform": take(PLATFORM_TEXT, 2 * platform + (ev.version == 0)),
        "app_version": take(APP_VERSIONS, ev.version),
        "user_id": where_text(ev.signed_in, pop.ids.account_id.take(pa.array(ev.person))),
        "apple": apple,
        "push_token": where_text(np.isin(name, (START, PUSH)), token),
        "session_id": uuid4(rng, ev.sessions).take(pa.array(ev.session)),
        "ts_ms": ev.ts_ms,
        "screen": screen, "content_id": content(0), "title": content(1),
        "content_type": content(2), "genre": content(3), "team": content(4),
        "artist": content(5), "played": ev.played,
        "method": take(LOGIN_METHODS, np.where(name == LOGIN, method, 0)),
        "error_code": error,
        "campaign": take(PUSH_CAMPAIGNS, (rng.random(n) * len(PUSH_CAMPAIGNS)).astype(np.int64)),
    }))
    return Batch(fields=fields, person=ev.person, record_id=event_id,
                 sort_key=ev.ts_ms // 1000)
