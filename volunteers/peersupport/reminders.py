"""The weekly e-mails: each counsellor's contacts coming due, and the coordinators' digest of overdue ones.

Sent by a daily job (``jobs``); each message's outbox key names the
organisation, the person and the local week (its Monday), so the first run of
a week queues it and every later run that week queues nothing more. A mail
names mothers by first name and reference only (no phone, area or notes):
the details are behind the sign-in, on the case pages.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import selectinload

from volunteers.core import links
from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import local_date
from volunteers.extensions import db
from volunteers.mail.outbox import enqueue
from volunteers.peersupport import services
from volunteers.peersupport.domain.due import DueItem
from volunteers.peersupport.models import SupportedPerson
from volunteers.people.models import Membership

#: the longest list the coordinators' digest spells out (the page has them all, by counsellor)
DIGEST_LIMIT = 50
STEP_NAMES = {"ward_visit": "ward visit", "follow_up_20w": "20-week follow-up"}


@dataclass(frozen=True)
class MailsQueued:
    counsellors: int
    coordinators: int


def _line(item: DueItem, first_names: dict[str, str]) -> dict[str, object]:
    return {"name": first_names.get(item.reference, ""), "reference": item.reference,
            "step": STEP_NAMES.get(item.step, item.step.replace("_", " ")), "due_by": item.due_by,
            "days_overdue": item.days_overdue, "supporter": item.supporter}


def weekly_mails(org: Organisation, now: datetime) -> MailsQueued:
    """Queue this week's mails for the organisation (none for an organisation that supports nobody)."""
    if not org.setting(services.PEER_SUPPORT_SETTING):
        return MailsQueued(0, 0)
    today = local_date(now, org.timezone)
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    # coming due: steps open by Sunday, not done, not late today; overdue: late today
    coming = [i for i in services.due_on(org, sunday) if i.due_by >= today and i.supporter]
    overdue = [i for i in services.due_on(org, today) if i.status == "overdue"]
    references = {i.reference for i in coming + overdue}
    first_names = dict(db.session.execute(scoped(
        SupportedPerson, org, SupportedPerson.reference, SupportedPerson.first_name).where(
        SupportedPerson.reference.in_(references))).all()) if references else {}
    members = list(db.session.scalars(scoped(Membership, org).options(selectinload(Membership.person))
                                      .where(Membership.status == "active").order_by(Membership.id)))
    by_email: dict[str, list[dict[str, object]]] = defaultdict(list)
    for item in coming:
        by_email[(item.supporter or "").lower()].append(_line(item, first_names))
    counsellors = coordinators = 0
    link = links.absolute("/me/mothers")
    for member in members:
        person = member.person
        if not person.active:
            continue
        items = by_email.get(person.email.lower())
        if items and enqueue(
                dedupe_key=f"peersupport_due:{org.id}:{member.id}:{monday.isoformat()}", now=now, to=person.email,
                subject=f"{org.name}: {len(items)} contact{'s' if len(items) != 1 else ''} to make this week",
                template="peersupport_due", organisation_id=org.id, org=org, person=person, items=items,
                link=link, monday=monday, sunday=sunday) is not None:
            counsellors += 1
        if member.is_coordinator and overdue and enqueue(
                dedupe_key=f"peersupport_overdue:{org.id}:{member.id}:{monday.isoformat()}", now=now,
                to=person.email,
                subject=f"{org.name}: {len(overdue)} overdue contact{'s' if len(overdue) != 1 else ''}",
                template="peersupport_overdue", organisation_id=org.id, org=org, person=person,
                items=[_line(i, first_names) for i in overdue[:DIGEST_LIMIT]], more=max(len(overdue) - DIGEST_LIMIT, 0),
                total=len(overdue), link=links.absolute("/cases/due?status=overdue"), today=today) is not None:
            coordinators += 1
    return MailsQueued(counsellors, coordinators)

