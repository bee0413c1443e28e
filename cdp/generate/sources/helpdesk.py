"""Support desk ticket export: ~12% of known persons open 1-3 tickets (~0.2 per known person).

Email and web-form tickets carry the address typed at the time (case, +tags, Gmail spellings,
the odd junk address), web forms sometimes a phone; phone tickets carry the caller's number
(mobile or landline, national or international as it reads without a country column) and, when
the agent looked the customer up, an email; chat tickets carry the chat login's email. Names
are typed by requesters (~5% typos, often the first name only). Older tickets are solved or
closed, with a CSAT score on ~40% of them; recent ones are still new, open or pending. ~3% of
tickets are exported again later (keep the last row): mostly a progressed version (the first
row still open, the second solved), otherwise an identical copy.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdp.generate.arrays import (
    choice,
    expand,
    pick,
    pick_text,
    prefixed_digits,
    take,
    where_text,
)
from cdp.generate.batch import Batch
from cdp.generate.context import ChunkContext
from cdp.generate.noise import (
    NULL_TEXT,
    timestamps,
    written_emails,
    written_names,
    written_phones,
)
from cdp.generate.vocab_business import NULL_TOKENS, TICKET_SUBJECTS

TABLE = "helpdesk_tickets"
STAMP = "%Y-%m-%d %H:%M:%S"
HOUR, DAY = 3_600, 86_400
CHANNELS = ("email", "web_form", "chat", "phone")
EMAIL, WEB_FORM, CHAT, PHONE = range(4)
TOPICS = tuple(TICKET_SUBJECTS)
TOPIC_WEIGHTS = {"billing": 22, "playback": 20, "login": 18, "delivery": 12, "returns": 8,
                 "account": 12, "other": 8}
SUBJECTS = tuple(s for t in TOPICS for s in TICKET_SUBJECTS[t])
PRIORITIES = ("low", "normal", "high", "urgent")
STATUSES = ("new", "open", "pending", "solved", "closed")
NEW, OPEN, PENDING, SOLVED, CLOSED = range(5)


def build(ctx: ChunkContext) -> dict[str, Batch]:
    rng = ctx.rng(TABLE)
    pop, ids = ctx.population, ctx.population.ids
    has_mobile = ids.phone["mobile"].is_valid().to_numpy(zero_copy_only=False)
    has_landline = ids.phone["landline"].is_valid().to_numpy(zero_copy_only=False)
    reachable = ~pop.anonymous & (ids.has_email | has_mobile | has_landline)
    openers = ctx.people(reachable)
    openers = openers[rng.random(len(openers)) < 0.12]
    owner, _ = expand(1 + choice(rng, len(openers), (0.5, 0.3, 0.2)))
    person = openers[owner]
    n = len(person)
    created = pop.lifetime_times(rng, person)

    # Channel as chosen, bent to what the person can be reached by.
    channel = choice(rng, n, (35, 25, 20, 20))
    with_email, with_phone = ids.has_email[person], has_mobile[person] | has_landline[person]
    channel = np.where((channel != PHONE) & ~with_email, PHONE, channel)
    channel = np.where((channel == PHONE) & ~with_phone, EMAIL, channel)
    is_phone = channel == PHONE
    gives_email = ~is_phone | (with_email & (rng.random(n) < 0.35))
    gives_phone = is_phone | ((channel == WEB_FORM) & with_phone & (rng.random(n) < 0.2))

    # The only identifier of a row is never a null token; an optional email sometimes is.
    email, email_true = written_emails(ctx, rng, person, created, variant_share=0.15,
                                       junk_share=0.01, null_share=0.0)
    blank = is_phone & gives_email & (rng.random(n) < 0.1)
    email = pc.if_else(pa.array(blank), pick_text(rng, NULL_TOKENS, n), email)
    email_true = pc.if_else(pa.array(blank), NULL_TEXT, email_true)
    landline = has_landline[person] & (~has_mobile[person] | (rng.random(n) < 0.4))
    mobile_text, mobile_true = written_phones(ctx, rng, person, "mobile", null_share=0.0)
    line_text, line_true = written_phones(ctx, rng, person, "landline", null_share=0.0)
    phone = pc.if_else(pa.array(landline), line_text, mobile_text)
    phone_true = pc.if_else(pa.array(landline), line_true, mobile_true)

    rows = pa.array(person)
    first = written_names(ctx, rng, pop.first_name.take(rows), style_share=0.1, typo_share=0.05)
    last = written_names(ctx, rng, pop.last_name.take(rows), style_share=0.1, typo_share=0.05)
    first_only = rng.random(n) < np.where(channel == CHAT, 0.5, 0.15)
    name = pc.if_else(pa.array(first_only), first, pc.binary_join_element_wise(first, last, " "))

    topic = choice(rng, n, [TOPIC_WEIGHTS[t] for t in TOPICS])
    sizes = np.array([len(TICKET_SUBJECTS[t]) for t in TOPICS])
    subject = (np.cumsum(sizes) - sizes)[topic] + pick(rng, sizes[topic])

    # Status follows the ticket's age: solved once its resolution time has passed.
    solved_at = created + 300 + rng.lognormal(np.log(20 * HOUR), 1.3, n).astype(np.int64)
    solved = solved_at <= pop.end
    age = pop.end - created
    waiting = np.where(age < 6 * HOUR, NEW, np.where(rng.random(n) < 0.35, PENDING, OPEN))
    closed = solved & (solved_at + 4 * DAY <= pop.end) & (rng.random(n) < 0.75)
    status = np.where(solved, np.where(closed, CLOSED, SOLVED), waiting)
    rated = solved & (rng.random(n) < 0.4)
    csat = 1 + choice(rng, n, (8, 7, 12, 28, 45))

    numbers = np.empty(n, np.int64)
    numbers[np.argsort(created, kind="stable")] = ctx.next_numbers("helpdesk_ticket", n,
                                                                   start=1_000_001)
    fields = pa.table({
        "ticket_id": prefixed_digits("T-", numbers, 7),
        "requester_email": where_text(gives_email, email),
        "requester_phone": where_text(gives_phone, phone),
        "requester_name": name,
        "channel": take(CHANNELS, channel),
        "topic": take(TOPICS, topic),
        "subject": take(SUBJECTS, subject),
        "status": take(STATUSES, status),
        "priority": pick_text(rng, PRIORITIES, n, weights=(25, 55, 15, 5)),
        "created_at": timestamps(ctx, created, STAMP),
        "solved_at": where_text(solved, timestamps(ctx, np.minimum(solved_at, pop.end), STAMP)),
        "csat_score": where_text(rated, pc.cast(pa.array(csat), pa.string())),
    })
    tickets = Batch(fields=fields, person=person,
                    record_id=fields.column("ticket_id").combine_chunks(), sort_key=created,
                    true_email=where_text(gives_email, email_true),
                    true_phone=where_text(gives_phone, phone_true))

    # Re-exports: the first row shows an earlier state, the later row the final one.
    again = rng.random(n) < 0.03
    earlier = np.where(solved, np.where(rng.random(n) < 0.4, PENDING, OPEN), NEW)
    progressed = pa.array(again & (earlier != status))
    snapshot = fields
    for column, value in (("status", take(STATUSES, earlier)), ("solved_at", NULL_TEXT),
                          ("csat_score", NULL_TEXT)):
        index = fields.schema.get_field_index(column)
        snapshot = snapshot.set_column(index, column, pc.if_else(
            progressed, value, fields.column(column).combine_chunks()))
    firsts = Batch(fields=snapshot, person=person, record_id=tickets.record_id,
                   sort_key=created, true_email=tickets.true_email,
                   true_phone=tickets.true_phone)
    later = np.where(solved, solved_at, created + (rng.random(n) * age).astype(np.int64))
    copies = tickets.take(np.flatnonzero(again))
    copies.sort_key = later[again]
    copies.is_duplicate[:] = True
    return {TABLE: Batch.concat([firsts, copies])}
