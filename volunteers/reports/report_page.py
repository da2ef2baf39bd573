"""A month's report page (/reports/monthly/<month>): its content kept between views while it would be the same.

Why: once the report's text was read (an issued month's stored figures, or a draft kept by ``draft_cache``),
most of the page's own time went on the same text made again: the figures parsed from their JSON (for the
title, the links and the zone), the menu's and the links' ``url_for``, the template around the body, and
base.html around that. The content (all but the site's header and menu) is a pure function of

* the report: its canonical text and hash, and whether and when it was issued: compared on every view with
  those it was made of (a draft made again after a write, or the month issued, makes it again);
* the draft's "as of" (shown to the minute in the organisation's zone, which the text holds): its minute is
  in the key; an issued report's is its issue instant;
* what the key also holds: the organisation, the month (the previous and next months' links), whether the
  month is over (the issue form), the endpoint and the request's script root (the menu's and links' URLs);
* the request's CSRF token (the issue form's), which the kept text leaves out: it is split where it goes.

Kept per app (``core.kept_text``), at most :data:`KEPT_AT_MOST` (~35 KB of content and the report's text
it is compared with, ~35 KB: ~5 MB a worker at most), dropped together past that. base.html around it is
framed once (``core.page_frame``).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import render_template, request

from volunteers.core.csrf_tokens import request_token
from volunteers.core.kept_text import KeptTexts
from volunteers.core.models import Organisation
from volunteers.core.page_frame import whole_page
from volunteers.core.timeutil import Month
from volunteers.reports import render

#: pages kept per app (a few months of a few organisations, a minute's draft each); dropped together past this
KEPT_AT_MOST = 64
PAGES = KeptTexts("reports.report_page", KEPT_AT_MOST)


def page(org: Organisation, month: Month, report: Any, ended: bool) -> bytes | str:
    """The month's report page for ``report`` (``services.Report``); ``ended``: the month is over."""
    issued = report.issued
    as_of: datetime = report.as_of
    key = (org.id, str(month), ended, as_of.replace(second=0, microsecond=0), request.endpoint, request.script_root)
    made_of = (org.id, report.text, report.sha256, issued.id if issued else None, issued.issued_at if issued else None)
    tokens = 0 if issued or not ended else 1  # the issue form's
    token = request_token() if tokens else ""
    content = PAGES.get(key, made_of, token)
    title = f"Report {month}"  # a kept page's: kept only where the figures' month is the month's
    if content is None:
        content = render_template(
            "reports/_monthly_content.html", report=report, org=org, ended=ended, previous=str(month.previous()),
            following=str(month.next()), f=report.figures, fmt=render.FORMATTERS, body=render.body_html(report))
        title = f"Report {report.month}"
        if report.month == str(month):
            PAGES.keep(key, made_of, content, tokens, mark=token or None)
    return whole_page("reports/monthly.html", content.encode(), title=title)


def forget() -> None:
    """Drop this app's kept pages (tests: the pages made afresh)."""
    PAGES.forget()
