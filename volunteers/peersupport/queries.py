"""Reads for the peer-support pages: my mothers, one case, the coordinators' due list, who could support.

Each page reads a fixed number of statements whatever the number of cases
(tests/integration/peersupport/test_pages_queries.py): rows are read by
plain columns or with their people loaded in the same statement, and the
rules (what is due, who ranks first) are the ``domain``'s.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.extensions import db
from volunteers.peersupport import services
from volunteers.peersupport.domain.due import DueItem
from volunteers.peersupport.domain.matching import Counsellor
from volunteers.peersupport.domain.nextdue import StepState, next_first_key, next_step, plan_states
from volunteers.peersupport.models import Contact, SupportedPerson
from volunteers.people.models import Membership, Person
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Role, Shift

#: rows of the due list on a page
PER_PAGE = 50
#: the due list's status filter: value → label (``week``: overdue, and due by the end of this week)
STATUS_FILTERS = {"week": "Overdue or due this week", "overdue": "Overdue", "due": "Due (window open, not late)",
                  "all": "Every open step"}


@dataclass(frozen=True)
class MyCase:
    case: SupportedPerson
    next: StepState | None


def _contacts_of(org: Organisation, case_ids: list[int]) -> dict[int, list[tuple[date, str]]]:
    found: dict[int, list[tuple[date, str]]] = defaultdict(list)
    if case_ids:
        for case_id, on, mode in db.session.execute(scoped(
                Contact, org, Contact.supported_person_id, Contact.contact_on, Contact.mode).where(
                Contact.supported_person_id.in_(case_ids))):
            found[case_id].append((on, mode))
    return found


def my_cases(org: Organisation, membership: Membership, today: date) -> list[MyCase]:
    """The member's open cases, the one needing a contact soonest first (two statements)."""
    cases = list(db.session.scalars(scoped(SupportedPerson, org).where(
        SupportedPerson.supporter_membership_id == membership.id, SupportedPerson.status == "open")))
    contacts = _contacts_of(org, [c.id for c in cases])
    plan = services.contact_plan(org)
    rows = [MyCase(c, next_step(c.born_on, contacts[c.id], plan, today)) for c in cases]
    return sorted(rows, key=lambda r: next_first_key(r.next, r.case.reference))


#: how far back "my mothers" offers a shift to register a mother from (the ward visit's window is two days)
RECENT_SHIFT_DAYS = 2


@dataclass(frozen=True)
class RecentShift:
    shift_id: int
    role: str
    day: date


def recent_shifts(org: Organisation, membership: Membership, now: datetime) -> list[RecentShift]:
    """The member's shifts started in the last two days, latest first: a mother met on one is registered from it
    (she becomes the supporter), one statement."""
    rows = db.session.execute(scoped(Shift, org, Shift.id, Role.name, Shift.local_date).join(
        Assignment, (Assignment.shift_id == Shift.id) & (Assignment.organisation_id == Shift.organisation_id)).join(
        Role, (Role.id == Shift.role_id) & (Role.organisation_id == Shift.organisation_id)).where(
        Assignment.membership_id == membership.id, Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES),
        Shift.status != "cancelled", Shift.starts_at <= now,
        Shift.starts_at > now - timedelta(days=RECENT_SHIFT_DAYS)).order_by(Shift.starts_at.desc()).limit(5))
    return [RecentShift(shift_id, role, day) for shift_id, role, day in rows]


@dataclass(frozen=True)
class CasePage:
    steps: list[StepState]
    contacts: list[tuple[Contact, str]]
    supporter: Membership | None


def case_page(org: Organisation, case: SupportedPerson, today: date) -> CasePage:
    """The plan's steps for the case, its contacts newest first with who made them, and its supporter."""
    rows = db.session.execute(scoped(Contact, org, Contact, Person.name).join(
        Membership, (Membership.id == Contact.membership_id) & (Membership.organisation_id == Contact.organisation_id)
    ).join(Person, Person.id == Membership.person_id).where(Contact.supported_person_id == case.id)
        .order_by(Contact.contact_on.desc(), Contact.id.desc())).all()
    contacts = [(contact, name) for contact, name in rows]
    steps = plan_states(case.born_on, [(c.contact_on, c.mode) for c, _ in contacts], services.contact_plan(org),
                        today)
    supporter = None
    if case.supporter_membership_id is not None:
        supporter = db.session.scalar(scoped(Membership, org).options(joinedload(Membership.person)).where(
            Membership.id == case.supporter_membership_id))
    return CasePage(steps, contacts, supporter)


def counsellors(org: Organisation, continuity: dict[int, int] | None = None) -> list[Counsellor]:
    """The organisation's active members as candidates to support someone, with their open caseloads (one
    statement); ``continuity`` is membership id → contacts with the case in hand."""
    open_cases = (select(SupportedPerson.supporter_membership_id.label("mid"), func.count().label("n"))
                  .where(SupportedPerson.organisation_id == org.id, SupportedPerson.status == "open")
                  .group_by(SupportedPerson.supporter_membership_id).subquery())
    rows = db.session.execute(scoped(Membership, org, Membership, Person.name, func.coalesce(open_cases.c.n, 0))
                              .join(Person, Person.id == Membership.person_id)
                              .outerjoin(open_cases, open_cases.c.mid == Membership.id)
                              .where(Membership.status == "active").order_by(Person.name, Membership.id)).all()
    continuity = continuity or {}
    found = []
    for membership, name, count in rows:
        prefs = membership.preferences or {}
        found.append(Counsellor(membership.id, name, _words(prefs.get("languages")), _words(prefs.get("areas")),
                                int(count), membership.caseload_limit, continuity.get(membership.id, 0)))
    return found


def _words(value: object) -> frozenset[str]:
    """A preference list (``["Polish", "English"]``) or a comma-separated text, as a set of words."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        return frozenset()
    return frozenset(str(v).strip() for v in value if str(v).strip())


@dataclass(frozen=True)
class DueFilter:
    status: str = "week"
    step: str = ""
    area: str = ""
    supporter: int | None = None
    unassigned: bool = False

    def as_args(self) -> dict[str, str]:
        args = {"status": self.status, "step": self.step, "area": self.area,
                "counsellor": "none" if self.unassigned else (str(self.supporter) if self.supporter else "")}
        return {k: v for k, v in args.items() if v and not (k == "status" and v == "week")}


@dataclass(frozen=True)
class DueRow:
    item: DueItem
    case_id: int
    first_name: str


@dataclass(frozen=True)
class DueGroup:
    supporter: str
    membership_id: int | None
    rows: list[DueRow]


@dataclass(frozen=True)
class DuePage:
    groups: list[DueGroup]
    number: int
    pages: int
    total: int
    overdue: int


def week_end(today: date) -> date:
    """The Sunday ending ``today``'s week (weeks run Monday to Sunday)."""
    return today + timedelta(days=6 - today.weekday())


def _kept(item: DueItem, f: DueFilter, today: date) -> bool:
    if f.step and item.step != f.step:
        return False
    if f.status == "week":
        return item.status == "overdue" or item.due_by <= week_end(today)
    return f.status == "all" or item.status == f.status


def due_items(org: Organisation, today: date, f: DueFilter) -> list[DueItem]:
    """The steps due on ``today`` that the filter keeps (one statement; the page and the API list them)."""
    return [i for i in services.due_on(org, today, area=f.area or None, supporter=f.supporter,
                                       unassigned=f.unassigned) if _kept(i, f, today)]


def due_page(org: Organisation, today: date, f: DueFilter, number: int) -> DuePage:
    """The due list for ``today``, filtered, by counsellor (unassigned last), a page of rows (three statements)."""
    items = due_items(org, today, f)
    people = {email: (name, mid) for email, name, mid in db.session.execute(
        scoped(Membership, org, Person.email, Person.name, Membership.id)
        .join(Person, Person.id == Membership.person_id))} if items else {}

    def who(item: DueItem) -> tuple[str, int | None]:
        return people.get(item.supporter, (item.supporter, None)) if item.supporter else ("Nobody yet", None)

    items.sort(key=lambda i: (i.supporter is None, who(i)[0].casefold(), i.supporter or "", i.due_by,
                              i.reference, i.step))
    pages = max(1, -(-len(items) // PER_PAGE))
    number = min(number, pages)
    shown = items[(number - 1) * PER_PAGE:number * PER_PAGE]
    cases = {ref: (cid, name) for cid, ref, name in db.session.execute(
        scoped(SupportedPerson, org, SupportedPerson.id, SupportedPerson.reference, SupportedPerson.first_name)
        .where(SupportedPerson.reference.in_({i.reference for i in shown})))} if shown else {}
    groups: list[DueGroup] = []
    for item in shown:
        name, membership_id = who(item)
        if not groups or (groups[-1].supporter, groups[-1].membership_id) != (name, membership_id):
            groups.append(DueGroup(name, membership_id, []))
        case_id, first_name = cases[item.reference]
        groups[-1].rows.append(DueRow(item, case_id, first_name))
    return DuePage(groups, number, pages, len(items), sum(i.status == "overdue" for i in items))


def areas(org: Organisation) -> list[str]:
    """The areas of the open cases (the due list's area filter)."""
    return list(db.session.scalars(scoped(SupportedPerson, org, SupportedPerson.area).where(
        SupportedPerson.status == "open", SupportedPerson.area.is_not(None)).distinct().order_by(SupportedPerson.area)))
