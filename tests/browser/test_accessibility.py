"""Every page each demo user reaches passes axe-core (no critical or serious violation) and fits a phone.

The pages are found as the CSP crawl finds them (``tests.crawl``: the links,
partials and GET forms of each demo login, plus every GET route without
parameters and the pages of the README's table), one or two per endpoint.
Each is then opened in Chromium once, signed in as that user, and checked:

* axe-core (vendored in ``vendor/``, version and licence there) at 1280 px and at 375 px;
* ``scrollWidth <= innerWidth`` (no sideways scroll) at 375 px and at 320 px;
* the words people read: no figure written ``820.00`` (money keeps its pence) and no
  "Café at Café" / "Café · Café" where a role and its site share a name.

The report's standalone document (``/reports/monthly/<month>.html``, also
the monthly e-mail's body) is checked as a page, and so is every other
e-mail's HTML body, rendered with a made-up context and set into a page as
a mail client shows it (``tests.crawl.email_pages``).

Every axe finding fails the test, moderate and minor ones too (heading
order, landmarks, empty headers): there were none left to allow. The
summary (printed, and written to ``A11Y_REPORT``) counts them by impact.

The shift panel, loaded into the board by htmx, is checked in place: the
first card of the board is clicked and the page checked again with it open.
"""
from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import LiveServer
from tests.crawl import NOW, USERS, Visit, crawl, demo_app, email_pages, seeds
from volunteers.core.models import Organisation
from volunteers.demo.data import PASSWORD
from volunteers.extensions import db
from volunteers.people.models import Membership, Person
from volunteers.rota.cover_models import CoverRequest
from volunteers.rota.models import Assignment, Role, Shift, ShiftOffer
from volunteers.selfservice import cover_waves
from volunteers.selfservice.messages import eligible_members
from volunteers.selfservice.open_pages import encode_key
from volunteers.selfservice.waiting_list_models import WaitingListEntry

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE_WIDTHS = (375, 320)
#: the README's page table, with a month the demo has figures for
README_PAGES = ["/rota/series", "/rota/fill", "/rota/requests", "/rota/roles", "/rota/sites", "/rota/qualifications",
                "/people", "/warnings", "/attendance", "/approvals", "/contributions", "/rates", "/reports",
                "/reports/monthly/2026-10", "/reports/network/2026-10", "/outbox", "/me/shifts", "/me/shifts/open",
                "/me/availability", "/me/hours", "/me/statement", "/me/data", "/settings/security", "/me/security",
                "/login", "/password/forgot"]
#: the standalone report (the monthly e-mail's body): before the page's own download links, which lead to the CSV
DOCUMENTS = ["/reports/monthly/2026-10.html"]
#: the same endpoint in another view: the board's month (one page per endpoint would leave it out)
OTHER_VIEWS = ["/rota?view=month&month=2026-12"]
#: the same endpoint with other ids or filters renders the same template
PER_ENDPOINT = 1
#: written when set: the figures of the run (pages, violations by rule, pages that scroll sideways)
REPORT = os.environ.get("A11Y_REPORT")

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary.split('\\n').slice(-1)[0])
  }));
}"""
WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"
#: a figure with two zero decimals that is not money ("820.00 hours"; "£473.00" keeps its pence)
ZERO_DECIMALS = re.compile(r"(?<![£€$\d,.])\d[\d,]*\.00(?!\d)")
#: a role and its site of the same name said twice: "Café at Café", "Café · Café" (not "Helpline at Helpline (remote)")
SAID_TWICE = re.compile(r"(?<![\w-])([A-Z][\w'’]*(?: [\w'’]+){0,4}) (?:·|at) \1(?![\w-]| ?[A-Za-z(])")


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, LiveServer]]:
    """The demo on a file SQLite database (the server answers from threads), served on a free port."""
    path = tmp_path_factory.mktemp("a11y") / "demo.sqlite"
    with demo_app(f"sqlite:///{path}") as app:
        server = LiveServer(app).start()
        yield app, server
        server.stop()


def pages_of(app: Flask, email: str | None) -> list[Visit]:
    """The HTML pages ``email`` reaches (signed out for ``None``), one per endpoint; htmx partials apart."""
    client = app.test_client()
    if email:
        with app.app_context():
            assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    visits, _ = crawl(app, client, [*seeds(app), *README_PAGES, *DOCUMENTS], per_endpoint=PER_ENDPOINT,
                      max_pages=120)
    pages = [v for v in visits if v.mimetype == "text/html" and v.status < 500]
    if any(v.endpoint == "rota.board" for v in pages):
        pages += [Visit(url, "rota.board (other view)", False, 200, "text/html", {}, "") for url in OTHER_VIEWS]
    return pages


def visible_text(html: str) -> str:
    """Return what a reader sees of a page: no tags, scripts, styles or attribute values (ids, fingerprints)."""
    html = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]*>", " ", html).split())


class Findings:
    def __init__(self) -> None:
        self.violations: dict[str, list[str]] = defaultdict(list)  # "impact rule" -> where (critical, serious)
        self.moderate: dict[str, list[str]] = defaultdict(list)  # the same for moderate and minor (failed on too)
        self.wide: list[str] = []
        self.words: list[str] = []
        self.pages = 0

    def read(self, html: str, label: str) -> None:
        """Note figures written ``.00`` and names said twice in the page's text."""
        text = visible_text(html)
        self.words += [f"{label}: {m.group(0)!r}" for m in (*ZERO_DECIMALS.finditer(text), *SAID_TWICE.finditer(text))]

    def check(self, page: Any, label: str) -> None:
        """Run axe at 1280 and 375 px and measure the width at 375 and 320."""
        self.pages += 1
        page.set_viewport_size(DESKTOP)
        self._axe(page, f"{label} @1280")
        for width in PHONE_WIDTHS:
            page.set_viewport_size({"width": width, "height": 740})
            if width == 375:
                self._axe(page, f"{label} @375")
            scroll, inner = page.evaluate(WIDTH)
            if scroll > inner:
                self.wide.append(f"{label} @{width}: {scroll} px")

    def _axe(self, page: Any, where: str) -> None:
        if not page.evaluate("() => typeof axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        for v in page.evaluate(RUN_AXE):
            tally = self.violations if v["impact"] in ("critical", "serious") else self.moderate
            tally[f"{v['impact']} {v['id']}: {v['help']}"].append(f"{where} {v['nodes']}")

    def summary(self) -> str:
        lines = [f"pages checked: {self.pages}",
                 f"critical/serious axe violations: {sum(len(w) for w in self.violations.values())} "
                 f"(rules: {len(self.violations)})"]
        for rule, where in sorted(self.violations.items()):
            lines.append(f"  {rule} — {len(where)} page views")
            lines += [f"      {w}" for w in where[:40]]
        lines.append(f"sideways scroll: {len(self.wide)} page views")
        lines += [f"  {w}" for w in self.wide]
        lines.append(f"moderate/minor axe violations: {sum(len(w) for w in self.moderate.values())} "
                     f"(rules: {len(self.moderate)})")
        for rule, where in sorted(self.moderate.items()):
            lines.append(f"  {rule} — {len(where)} page views")
            lines += [f"      {w}" for w in where[:8]]
        lines.append(f"words: {len(self.words)}")
        lines += [f"  {w}" for w in self.words]
        return "\n".join(lines)


def test_every_page_passes_axe_and_fits_a_phone(browser: Any, demo_server: tuple[Flask, LiveServer]) -> None:
    app, server = demo_server
    findings = Findings()
    endpoints_checked: set[str] = set()
    for email in (*USERS, None):
        visits = pages_of(app, email)
        context = browser.new_context(viewport=DESKTOP, base_url=server.base, bypass_csp=True)
        context.set_default_timeout(10000)
        page = context.new_page()
        if email:
            page.goto("/login")
            page.get_by_label("E-mail").fill(email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            assert "/login" not in page.url, email
        who = email or "signed out"
        panel_checked = False
        for n, visit in enumerate(visits):
            # a partial is checked where it is loaded (below), or as its own full page; an endpoint another
            # login has already shown renders the same template: only each login's first page (its menu) again
            if visit.htmx or (n and visit.endpoint in endpoints_checked):
                continue
            page.goto(visit.url)
            page.wait_for_load_state()
            findings.check(page, f"{who} {visit.url}")
            findings.read(visit.html, f"{who} {visit.url}")
            endpoints_checked.add(visit.endpoint)
            card = page.locator("#board a[hx-get][hx-target='#panel']").first
            if not panel_checked and card.count():
                page.set_viewport_size(DESKTOP)
                card.click()
                page.locator("#panel h2, #panel h1").first.wait_for()
                findings.check(page, f"{who} {visit.url} + shift panel")
                panel_checked = True
        if email == "coordinator@surestart.example":
            # Kelly Robson's leave declared after rostering (the demo): the board's badge and the panel's
            page.set_viewport_size(DESKTOP)
            page.goto("/rota?view=month&month=2026-12")
            away = page.locator("#board a.shift:has(.away)").first
            expect_away = away.inner_text()
            assert "Kelly Robson is away" in expect_away, expect_away
            findings.check(page, f"{who} /rota month with leave on it")
            page.set_viewport_size(DESKTOP)
            away.click()
            page.locator("#panel h2").first.wait_for()
            assert "is away" in page.locator("#panel").inner_text()
            findings.check(page, f"{who} shift panel with leave on it")
        if email == USERS[0]:
            # a refused form: the error summary comes first, takes the focus and links to the field
            page.set_viewport_size(DESKTOP)
            page.goto("/rota/roles")
            page.get_by_label("Name").fill("")
            page.locator("main form[novalidate] button[type=submit]").last.click()
            page.wait_for_load_state()
            summary_box = page.locator("[data-error-summary]")
            assert summary_box.get_by_role("link").first.get_attribute("href") == "#name"
            assert page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")
            findings.check(page, f"{who} /rota/roles (refused)")
            # the announcement form refused (no title, no message): its summary and fields are checked too
            page.goto("/announcements/new")
            page.locator("main form[novalidate] button[type=submit]").last.click()
            page.wait_for_load_state()
            assert page.locator("[data-error-summary]").get_by_role("link").first.get_attribute("href") == "#title"
            findings.check(page, f"{who} /announcements/new (refused)")
        context.close()
    # the e-mails' HTML bodies, as a mail client shows them (the subject over the body; no styles of ours)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    emails = email_pages(app)
    for name, html in emails:
        page.set_content(html)
        findings.check(page, f"e-mail {name}")
        findings.read(html, f"e-mail {name}")
    context.close()

    summary = findings.summary()
    print(summary)
    if REPORT:
        Path(REPORT).write_text(summary + "\n", encoding="utf-8")
    # the crawl did walk the site, not a sign-in page over and over
    for endpoint in ("rota.board", "shifts.show_shift", "rota.print_week", "reports.monthly", "reports.network",
                     "wellbeing.list_warnings", "me.shifts", "reports.statement_page", "auth.login",
                     "reports.download"):
        assert endpoint in endpoints_checked, (endpoint, sorted(endpoints_checked))
    assert findings.pages >= 40 + len(emails) and len(emails) >= 10, (findings.pages, len(emails))
    assert (dict(findings.violations), dict(findings.moderate), findings.wide, findings.words) == ({}, {}, [], []), \
        summary


def test_the_words_checks_find_what_they_are_for() -> None:
    text = visible_text('<p title="1.00">Café at Café · 3 h</p><td>Post Office · Post Office</td><b>820.00</b> £5.00')
    assert ZERO_DECIMALS.findall(text) == ["820.00"]
    assert [m.group(0) for m in SAID_TWICE.finditer(text)] == ["Café at Café", "Post Office · Post Office"]
    assert not SAID_TWICE.search("Shop counter at Shop · Cat at Catterick · Post Office at Post Office counter, "
                                 "Helpline at Helpline (remote)")


def test_the_axe_script_is_the_vendored_release() -> None:
    """The vendored axe-core is whole (CI needs no network) and its licence travels with it."""
    text = AXE.read_text(encoding="utf-8")
    assert text.startswith("/*! axe v4.14.1")
    assert "Mozilla Public License" in (AXE.parent / "axe-core-LICENSE.txt").read_text(encoding="utf-8")
    assert json.loads((AXE.parent / "VERSIONS.json").read_text(encoding="utf-8"))["axe-core"]["version"] == "4.14.1"


def _sign_in(browser: Any, server: LiveServer, email: str, width: int) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": width, "height": 740}, base_url=server.base, bypass_csp=True)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return context, page


def test_requests_waiting_for_an_answer_pass_axe_and_fit_a_phone(browser: Any,
                                                                 demo_server: tuple[Flask, LiveServer]) -> None:
    """The demo has no pending request: twelve are made, so the cards, the filter and the pager are checked too."""
    app, server = demo_server
    with app.app_context():
        org = db.session.scalars(select(Organisation).where(Organisation.slug == "tackley")).one()
        places = db.session.scalars(
            select(Assignment).join(Shift, Shift.id == Assignment.shift_id)
            .where(Assignment.organisation_id == org.id, Shift.starts_at > NOW, Assignment.status == "assigned")
            .order_by(Shift.starts_at, Assignment.id).limit(12)).all()
        assert len(places) == 12
        db.session.add_all(ShiftOffer(organisation_id=org.id, assignment_id=a.id, shift_id=a.shift_id,
                                      kind="cancel_request" if n % 3 == 0 else "swap", status="open",
                                      note="A family wedding" if n == 0 else None) for n, a in enumerate(places))
        db.session.commit()
    context, page = _sign_in(browser, server, USERS[0], DESKTOP["width"])
    findings = Findings()
    for url in ("/rota/requests", "/rota/requests?kind=swap&requests_page=2"):
        page.goto(url)
        findings.check(page, url)
        findings.read(page.content(), url)
    context.close()
    assert (dict(findings.violations), dict(findings.moderate), findings.wide, findings.words) == ({}, {}, [], []), \
        findings.summary()


def test_lists_people_read_stack_into_rows_on_a_phone(browser: Any, demo_server: tuple[Flask, LiveServer]) -> None:
    """At 375 px a person on /people is a block of labelled lines; at 1280 px the same rows are a table."""
    _, server = demo_server
    context, page = _sign_in(browser, server, USERS[0], 375)
    page.goto("/people")
    cell = page.locator("table.stack tbody tr").first.locator("td[data-label='Contact']")
    look = "c => [getComputedStyle(c).display, getComputedStyle(c, '::before').content]"
    assert cell.evaluate(look) == ["block", '"Contact: "']
    assert page.locator("table.stack thead").evaluate("h => h.getBoundingClientRect().height") <= 1
    page.set_viewport_size(DESKTOP)
    assert cell.evaluate(look) == ["table-cell", "none"]
    context.close()


def test_people_a_page_at_a_time_sorted_by_a_column_passes_axe_and_fits_a_phone(
        browser: Any, demo_server: tuple[Flask, LiveServer]) -> None:
    """/people's pager, page-size choice and sortable column headers (the crawl sees only its first page)."""
    _, server = demo_server
    context, page = _sign_in(browser, server, USERS[0], DESKTOP["width"])
    findings = Findings()
    for url in ("/people?per=25&page=2&sort=-pledge", "/people?sort=status&status=active"):
        page.goto(url)
        findings.check(page, url)
        findings.read(page.content(), url)
    page.goto("/people?per=25")
    assert page.get_by_role("navigation", name="Pages of people").is_visible()
    context.close()
    assert (dict(findings.violations), dict(findings.moderate), findings.wide, findings.words) == ({}, {}, [], []), \
        findings.summary()


def test_cover_waves_on_a_request_card_and_the_shift_page_pass_axe_and_fit_a_phone(
        browser: Any, demo_server: tuple[Flask, LiveServer]) -> None:
    """A late cancellation out in two waves, one more person asked by hand: its card and its shift's page."""
    app, server = demo_server
    with app.app_context():
        org = db.session.scalars(select(Organisation).where(Organisation.slug == "tackley")).one()
        coordinator = db.session.scalars(select(Membership).join(Person).where(
            Membership.organisation_id == org.id, Person.email == USERS[0])).one()
        pending = select(ShiftOffer.assignment_id).where(ShiftOffer.status.in_(("open", "taken")),
                                                         ShiftOffer.assignment_id.is_not(None))
        place = db.session.scalars(
            select(Assignment).join(Shift, Shift.id == Assignment.shift_id)
            .where(Assignment.organisation_id == org.id, Shift.starts_at > NOW + timedelta(hours=3),
                   Shift.starts_at < NOW + timedelta(days=7), Assignment.status.in_(("assigned", "confirmed")),
                   Assignment.id.not_in(pending))
            .order_by(Shift.starts_at, Assignment.id).limit(1)).one()
        offer = ShiftOffer(organisation_id=org.id, assignment_id=place.id, shift_id=place.shift_id,
                           kind="cancel_request", status="open", created_at=NOW)
        db.session.add(offer)
        db.session.flush()
        cover_waves.start_cover(org, place.shift, offer, NOW)
        cover_waves.send_due_waves(NOW + timedelta(minutes=30))
        cover = db.session.scalars(select(CoverRequest).where(CoverRequest.offer_id == offer.id)).one()
        asked = {a.membership_id for a in cover.asks} | {place.membership_id}
        cover_waves.ask_by_hand(org, cover, eligible_members(org, place.shift, exclude=asked)[0].id,
                                coordinator.person_id, NOW)
        db.session.commit()
        shift_id, cover_id = place.shift_id, cover.id
    context, page = _sign_in(browser, server, USERS[0], DESKTOP["width"])
    findings = Findings()
    for url in ("/rota/requests?kind=cancel_request", f"/rota/shifts/{shift_id}"):
        page.goto(url)
        assert page.locator(f"#cover-{cover_id} ol.waves li").count() >= 2, url  # a wave and the ask by hand
        findings.check(page, url)
        findings.read(page.content(), url)
    context.close()
    assert (dict(findings.violations), dict(findings.moderate), findings.wide, findings.words) == ({}, {}, [], []), \
        findings.summary()


def test_waiting_lists_on_my_shifts_open_shifts_and_the_shift_panel_pass_axe_and_fit_a_phone(
        browser: Any, demo_server: tuple[Flask, LiveServer]) -> None:
    """The volunteer waits on one full shift and has a place offered on another; the coordinator sees the list."""
    app, server = demo_server
    with app.app_context():
        org = db.session.scalars(select(Organisation).where(Organisation.slug == "tackley")).one()
        volunteer = db.session.scalars(select(Membership).join(Person).where(
            Membership.organisation_id == org.id, Person.email == USERS[1])).one()
        mine = select(Assignment.shift_id).where(Assignment.membership_id == volunteer.id)
        shifts = db.session.scalars(
            select(Shift).where(Shift.organisation_id == org.id, Shift.starts_at > NOW + timedelta(days=3),
                                Shift.status == "planned", Shift.published_at.is_not(None), Shift.id.not_in(mine),
                                Shift.filled >= Shift.needed, Shift.role.has(~Role.required_qualifications.any()))
            .order_by(Shift.starts_at, Shift.id).limit(3)).all()
        assert len(shifts) == 3  # full shifts anyone may take: one waited for, one offered, one to join
        db.session.add_all([
            WaitingListEntry(organisation_id=org.id, shift_id=shifts[0].id, membership_id=volunteer.id,
                             status="waiting", joined_at=NOW - timedelta(days=1)),
            WaitingListEntry(organisation_id=org.id, shift_id=shifts[1].id, membership_id=volunteer.id,
                             status="offered", joined_at=NOW - timedelta(days=1), offered_at=NOW, offer_slot=1,
                             offer_expires_at=NOW + timedelta(hours=2))])
        db.session.commit()
        panel = f"/rota/shifts/{shifts[1].id}"
    findings = Findings()
    for email, urls in ((USERS[1], ("/me/shifts", "/me/shifts/open")), (USERS[0], (panel, "/settings/waiting-list"))):
        context, page = _sign_in(browser, server, email, DESKTOP["width"])
        for url in urls:
            page.goto(url)
            findings.check(page, f"{email} {url}")
            findings.read(page.content(), url)
            if url == "/me/shifts/open":
                assert page.get_by_role("button", name=re.compile("^Join the waiting list")).count() >= 1
                assert page.get_by_role("button", name=re.compile("^Leave the waiting list")).count() >= 1
            if url == "/me/shifts":
                assert page.get_by_role("button", name=re.compile("^Take the place")).count() == 1
                assert "You're number 1 on the waiting list" in page.content()
            if url == panel:
                assert page.locator("ol.waiting-list li").count() == 1
        context.close()
    assert (dict(findings.violations), dict(findings.moderate), findings.wide, findings.words) == ({}, {}, [], []), \
        findings.summary()


def test_open_shifts_a_page_at_a_time_with_filters_pass_axe_and_fit_a_phone(
        browser: Any, demo_server: tuple[Flask, LiveServer]) -> None:
    """/me/shifts/open's filters and its "Earlier shifts" / "Later shifts" links (the crawl sees the first page)."""
    app, server = demo_server
    context, page = _sign_in(browser, server, USERS[1], DESKTOP["width"])
    findings = Findings()
    page.goto("/me/shifts/open")
    first_id = int(page.locator("article.open-shift").first.get_attribute("id").removeprefix("shift-"))
    with app.app_context():
        first = db.session.get(Shift, first_id)
        assert first is not None
        cursor = encode_key((first.starts_at, first.id))
    page.goto(f"/me/shifts/open?after={cursor}")  # the page after the soonest shift: an "Earlier" link
    assert page.get_by_role("navigation", name="Pages of open shifts").is_visible()
    assert page.locator(f"#shift-{first_id}").count() == 0
    findings.check(page, "a later page")
    findings.read(page.content(), "a later page")
    page.get_by_role("link", name=re.compile("Earlier shifts")).click()
    # wait_for_load_state can return before the click's navigation starts; expect waits for the new page
    expect(page.locator(f"#shift-{first_id}")).to_have_count(1)
    page.get_by_label("Weekday").select_option(label="Saturday")
    page.get_by_role("button", name="Show shifts").click()
    page.wait_for_load_state()
    assert "weekday=5" in page.url and page.get_by_role("link", name="Show every open shift").is_visible()
    findings.check(page, "filtered by weekday")
    findings.read(page.content(), "filtered by weekday")
    context.close()
    assert (dict(findings.violations), dict(findings.moderate), findings.wide, findings.words) == ({}, {}, [], []), \
        findings.summary()
