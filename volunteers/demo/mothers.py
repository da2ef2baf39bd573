"""Sure Start's mothers: six months of new mothers, their ward visits, follow-ups and counsellors' caseloads.

About 120 mothers gave birth in the six months before ``now``. Each is
visited on the maternity ward within two days by a counsellor on a ward
round that day (from the rota's attended ward shifts; before the rota's
history, by one of the counsellors who did ward rounds), who becomes her
supporter. Some get a phone call in the first weeks or come to a group;
the 20-week follow-up (days 140–154) is done for most whose window has
closed, a few are overdue, and those whose window is open now are due or
just done. A few cases close early (moved away, declined); a case whose
follow-up is done is closed as plan complete.

Counsellors with cases get a ``caseload_limit``: room to spare for most,
while the two with the most open cases are near theirs — one at it, one a
case over (the ``caseload`` rule warns). Everything is written through the
peer-support imports (cases, then contacts with their ledger time), so the
demo's rows are what the CSV files would make. Deterministic: its own seeded
generator, dates relative to ``now``.
"""
from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from volunteers.core.models import Organisation
from volunteers.demo.names import GATESHEAD_FIRST
from volunteers.extensions import db
from volunteers.peersupport import services as peersupport
from volunteers.peersupport.domain.csvfiles import CaseRow, ContactRow
from volunteers.people.models import Membership
from volunteers.rota.models import Assignment, Role, Shift

SEED = "20261:mothers"
MOTHERS = 120
#: births from this many days before today to yesterday
SPAN_DAYS = 182
AREAS = ("Bensham", "Felling", "Birtley", "Low Fell", "Deckham", "Dunston", "Windy Nook", "Wrekenton")
LANGUAGES = ("English",) * 12 + ("Polish", "Arabic", "Urdu", "Czech")
#: most counsellors' room for open cases; the two busiest are set near their own count
ROOMY_LIMIT = 6


def _ward_rounds(org: Organisation, ward_role: str, tz: ZoneInfo) -> dict[date, list[int]]:
    """Return local date → the members who attended a ward round that day (one query)."""
    rows = db.session.execute(
        select(Shift.local_date, Assignment.membership_id)
        .join(Assignment, (Assignment.shift_id == Shift.id) & (Assignment.organisation_id == Shift.organisation_id))
        .join(Role, (Role.id == Shift.role_id) & (Role.organisation_id == Shift.organisation_id))
        .where(Shift.organisation_id == org.id, Role.name == ward_role, Assignment.status == "attended")
        .order_by(Shift.local_date, Assignment.membership_id))
    rounds: dict[date, list[int]] = {}
    for day, member_id in rows:
        rounds.setdefault(day, []).append(member_id)
    return rounds


def _visit(rng: random.Random, born: date, rounds: dict[date, list[int]], pool: list[int],
           history_start: date) -> tuple[date, int] | None:
    """Return the ward visit (date, counsellor) of a mother born on ``born``, or None when she was missed."""
    window = [born + timedelta(days=k) for k in range(3)]
    days = [day for day in window if day in rounds]
    if window[-1] >= history_start:  # the rota's history covers (part of) her window: a round she was on
        if not days or rng.random() < 0.06:  # discharged before a round reached her
            return None
        day = days[0] if rng.random() < 0.7 else rng.choice(days)
        return day, rng.choice(rounds[day])
    if rng.random() < 0.08:
        return None
    return rng.choice((window[0], window[1], window[1], window[2])), rng.choice(pool)


def add_mothers(org: Organisation, members: Mapping[str, Membership], now: datetime, ward_role: str) -> dict[str, int]:
    """Write the mothers, their contacts and the counsellors' caseload limits; return counts for the summary."""
    rng = random.Random(SEED)
    tz = ZoneInfo(org.timezone)
    today = now.astimezone(tz).date()
    rounds = _ward_rounds(org, ward_role, tz)
    history_start = min(rounds, default=today)
    by_id = {m.id: m for m in members.values()}
    pool = sorted({m for day in rounds.values() for m in day}) or sorted(
        m.id for m in members.values() if m.role == "volunteer")
    email = {m.id: m.person.email for m in by_id.values()}
    cases: list[CaseRow] = []
    contacts: list[ContactRow] = []
    supporters: list[int] = []
    for n in range(MOTHERS):
        born = today - timedelta(days=rng.randrange(1, SPAN_DAYS + 1))
        ref = f"SS-{born:%y%m}-{n + 1:03d}"
        visit = _visit(rng, born, rounds, pool, history_start)
        supporter = visit[1] if visit else rng.choice(pool)
        supporters.append(supporter)
        mine: list[tuple[date, str, int, str]] = []
        if visit:
            mine.append((visit[0], "ward", rng.choice((20, 25, 30, 30, 40)), "Latched well; leaflet and number given"))
        if rng.random() < 0.35 and born + timedelta(days=10) < today:
            mine.append((born + timedelta(days=rng.randrange(5, 15)), "phone", rng.choice((10, 15, 20)),
                         "Checked in; feeding going fine"))
        if rng.random() < 0.2 and born + timedelta(days=30) < today:
            mine.append((born + timedelta(days=rng.randrange(21, 60)), "group", 120, "Came to the group"))
        closed_on, reason = _follow_up(rng, born, today, mine)
        cases.append(CaseRow(n + 2, ref, rng.choice(GATESHEAD_FIRST), born, rng.choice(AREAS),
                             f"07700 9{rng.randrange(10**5):05d}", rng.choice(LANGUAGES), email[supporter],
                             closed_on, reason))
        contacts.extend(ContactRow(0, ref, on, email[supporter], mode, minutes, outcome)
                        for on, mode, minutes, outcome in mine if on <= (closed_on or today))
    peersupport.import_cases(org, cases, "demo-mothers.csv", now=now)
    peersupport.import_contacts(org, [replace(row, line=k + 2) for k, row in enumerate(contacts)],
                                "demo-contacts.csv", now=now)
    _limits(by_id, cases, supporters)
    return {"mothers": len(cases), "contacts": len(contacts)}


def _follow_up(rng: random.Random, born: date, today: date,
               mine: list[tuple[date, str, int, str]]) -> tuple[date | None, str | None]:
    """Add the 20-week follow-up to ``mine`` when it was made; return how the case closed (or None, None)."""
    opens, due_by = born + timedelta(days=140), born + timedelta(days=154)
    if rng.random() < 0.04 and born + timedelta(days=20) < today:
        return born + timedelta(days=rng.randrange(10, 20)), rng.choice(("moved_away", "declined"))
    if opens > today:
        return None, None
    if due_by < today:
        if rng.random() < 0.12:  # nobody reached her: overdue
            return None, None
        on = opens + timedelta(days=rng.randrange(-7, 15))
    elif rng.random() < 0.35 and today > opens:  # open now: some done already, the rest due
        on = opens + timedelta(days=rng.randrange(0, (today - opens).days + 1))
    else:
        return None, None
    mine.append((on, rng.choice(("phone", "phone", "home")), rng.choice((20, 30, 45)),
                 "20-week chat: feeding, sleep and going back to work"))
    return (on, "plan_complete") if due_by < today else (None, None)


def _limits(by_id: Mapping[int, Membership], cases: list[CaseRow], supporters: list[int]) -> None:
    """Give each counsellor with cases a caseload limit; the two busiest end up at and just over theirs."""
    open_cases = Counter(s for s, case in zip(supporters, cases, strict=True) if case.closed_on is None)
    busiest = [member_id for member_id, _ in sorted(open_cases.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]
    for member_id in sorted(set(supporters)):
        by_id[member_id].caseload_limit = max(ROOMY_LIMIT, open_cases[member_id] + 2)
    if len(busiest) == 2:
        by_id[busiest[0]].caseload_limit = max(open_cases[busiest[0]] - 1, 1)  # a case over: a warning
        by_id[busiest[1]].caseload_limit = open_cases[busiest[1]]  # at her limit
    db.session.flush()
