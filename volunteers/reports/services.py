"""Monthly reports: read one (frozen if issued, live otherwise), issue one, send one.

Issuing stores the figures' canonical JSON and its sha256; from then on the
month is rendered only from what was stored, so the report re-renders
byte-identically whatever is added to the ledger later (later entries show
up as adjustments in the next month's report). The same functions back the
pages, ``flask report monthly`` and the scheduled job.
"""
from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime
from functools import cached_property
from typing import Any

from markupsafe import Markup

from volunteers.contributions.ledger import insert_or_nothing
from volunteers.core import audit
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.signals import report_issued
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import Month
from volunteers.extensions import db
from volunteers.mail.outbox import enqueue
from volunteers.people.models import Membership, Person
from volunteers.reports import draft_cache, gather, render
from volunteers.reports.domain.canonical import canonical_json, figures_hash
from volunteers.reports.figures import compared_months, live_figures, window_of
from volunteers.reports.models import MonthlyReport


class Report:
    """One month's report: its canonical JSON text and hash, and the issue record if issued.

    ``issued`` is the stored report when the month has been issued (the text
    then comes from it), None for a live draft computed ``as_of``.
    ``figures`` is the text parsed (JSON-shaped data), read only when needed.
    """

    def __init__(self, text: str, sha256: str, issued: MonthlyReport | None, as_of: datetime) -> None:
        self.text, self.sha256, self.issued, self.as_of = text, sha256, issued, as_of

    @cached_property
    def figures(self) -> dict[str, Any]:
        return json.loads(self.text)

    @property
    def month(self) -> str:
        return self.figures["month"]


def issued_report(org: Organisation, month: Month) -> MonthlyReport | None:
    """Return the month's stored report, or None while it is not issued."""
    return db.session.scalar(scoped(MonthlyReport, org).where(MonthlyReport.month == str(month)))


def _frozen(stored: MonthlyReport) -> Report:
    return Report(stored.figures_json, stored.figures_hash, stored, stored.issued_at)


def monthly_report(org: Organisation, month: Month, now: datetime) -> Report:
    """Return the month's report: the issued one, or live figures as of ``now``."""
    # one read says whether the month is issued and brings what a draft compares with
    issued = gather.issued_months(org, compared_months(month))
    month_text = str(month)
    stored = db.session.get(MonthlyReport, issued[month_text].id) if month_text in issued else None
    if stored is not None:
        return _frozen(stored)

    def draft() -> tuple[str, str]:
        text = canonical_json(live_figures(org, month, now, issued))
        return text, hashlib.sha256(text.encode()).hexdigest()

    # a month that is over changes only when something is written: its draft is kept until then
    try:
        ended_at = window_of(org, month)[1]
    except ValueError:  # the last month the calendar holds never ends
        text, sha256 = draft()
    else:
        text, sha256 = draft_cache.kept_draft(org, month, now, ended_at, draft)
    return Report(text, sha256, None, now)


def check_issuable(org: Organisation, month: Month, now: datetime) -> None:
    """Raise ServiceError unless ``month`` is over at ``now`` (what :func:`issue_report` requires)."""
    try:
        window = window_of(org, month)
    except ValueError as error:  # the last month the calendar holds has no end instant
        raise ServiceError(str(error), "month") from None
    if now < window[1]:
        raise ServiceError("A month can be issued once it is over.", "month")


def issue_report(org: Organisation, month: Month, now: datetime, actor_person_id: int | None) -> MonthlyReport:
    """Freeze the month's figures as of ``now``; return the stored report (the existing one if issued).

    :raises ServiceError: for a month that has not ended yet (or, 9999-12, never ends).
    """
    check_issuable(org, month, now)
    existing = issued_report(org, month)
    if existing is not None:
        return existing
    figures = live_figures(org, month, now)
    text = canonical_json(figures)
    report_id = insert_or_nothing(MonthlyReport, dict(
        organisation_id=org.id, month=str(month), figures_json=text, figures_hash=figures_hash(figures), issued_at=now,
        issued_by_person_id=actor_person_id), ["organisation_id", "month"])
    report = issued_report(org, month)
    assert report is not None
    if report_id is None:  # issued a moment ago by someone else
        return report
    audit.record(org, actor_person_id, "reports.issue", "monthly_report", report.id, month=str(month),
                 figures_hash=report.figures_hash, now=now)
    report_issued.send(db.session, organisation_id=org.id, report=report, now=now)
    return report


def report_recipients(org: Organisation) -> list[str]:
    """Return the report's recipients: the organisation's setting, else its active coordinators."""
    configured = org.setting("report_recipients")
    if configured:
        return sorted({str(e).strip().lower() for e in configured if str(e).strip()})
    return list(db.session.scalars(
        scoped(Membership, org, Person.email).select_from(Membership)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.role.in_(("coordinator", "admin")), Membership.status == "active")
        .order_by(Person.email)).unique())


def send_report(org: Organisation, stored: MonthlyReport, now: datetime) -> int:
    """Queue the issued report to every recipient (HTML body, CSV and XLSX attached); return how many.

    Idempotent: each (report, recipient) is queued once, whatever runs it again.
    """
    report = _frozen(stored)
    name = f"{org.slug}-{report.month}"
    attachments = [
        {"filename": f"{name}.csv", "content_type": "text/csv",
         "data_b64": base64.b64encode(render.csv_text(report.figures).encode("utf-8")).decode()},
        {"filename": f"{name}.xlsx",
         "content_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "data_b64": base64.b64encode(render.xlsx_bytes(report.figures)).decode()},
    ]
    document = render.document_html(report)
    queued = 0
    for email in report_recipients(org):
        message = enqueue(
            dedupe_key=f"report:{org.id}:{report.month}:{email}", now=now, to=email,
            subject=f"{org.name}: contributions in {render.month_name(report.month)}",
            template="monthly_report", organisation_id=org.id, attachments=attachments,
            document=Markup(document), figures=report.figures, fmt=render.FORMATTERS)
        queued += message is not None
    stored.sent_at = stored.sent_at or now
    return queued


def issued_months(org: Organisation) -> list[MonthlyReport]:
    """Return the organisation's issued reports, newest first."""
    return list(db.session.scalars(scoped(MonthlyReport, org).order_by(MonthlyReport.month.desc())))


def set_recipients(org: Organisation, text: str) -> list[str]:
    """Store the report recipients from a comma- or line-separated list (empty: the coordinators).

    :raises ServiceError: for something that is not an e-mail address.
    """
    emails = sorted({e.strip().lower() for e in text.replace("\n", ",").replace(";", ",").split(",") if e.strip()})
    for email in emails:
        if "@" not in email or " " in email or len(email) > 254:
            raise ServiceError(f"{email!r} is not an e-mail address.", "recipients")
    org.settings = {**(org.settings or {}), "report_recipients": emails}
    db.session.flush()
    return emails

