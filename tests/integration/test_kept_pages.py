"""A person's page's and /people's content kept between views (people.kept_pages): always the page made afresh."""
from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from tests.factories import DEFAULT_PASSWORD, make_member, make_org
from tests.integration.auth_support import send
from tests.querycount import statements_run
from volunteers.people import kept_pages, services, supervision
from volunteers.people.domain.availability import parse_availability

#: what differs between two loads of the same page: the request's CSRF token and the page's own stamp
_TOKEN = re.compile(r"[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}")
_STAMP = re.compile(r'<meta name="rendered-at"[^>]*>')


def _page(client, url: str, **kwargs: object) -> str:
    response = send(client, "GET", url, **kwargs)
    assert response.status_code == 200
    return _STAMP.sub("", _TOKEN.sub("TOKEN", response.get_data(as_text=True)))


def test_the_kept_page_is_the_page_made_afresh_after_every_change(app, client, db, clock, monkeypatch) -> None:
    org = make_org("tackley", "Tackley Village Shop")
    cora = make_member(org, "coordinator@tackley.example", role="coordinator", name="Cora Ordinator")
    ann = make_member(org, "ann@example.org", name="Ann <Archer>")
    db.session.commit()
    assert send(client, "POST", "/login", data={"email": "coordinator@tackley.example",
                                                "password": DEFAULT_PASSWORD}).status_code == 302
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # a page is kept only with its token
    kept_pages.forget()  # other tests' pages (the app is the session's)
    url = f"/people/{ann.id}"
    today = clock.now.date()

    def record_session() -> None:
        supervision.record_session(org, ann, today - timedelta(days=3), cora.id, "went <well>", today)

    def archive() -> None:
        services.qualification_named(org, "DBS check").archived_at = clock.now

    changes = [
        lambda: services.set_qualification(org, ann, services.qualification_named(org, "DBS check"),
                                           today + timedelta(days=20)),
        lambda: services.set_qualification(org, ann, services.qualification_named(org, "First aid"),
                                           today - timedelta(days=1)),
        record_session,
        lambda: setattr(ann, "notes", "Likes <mornings> & tea"),
        lambda: setattr(ann, "pledged_hours_per_week", Decimal("3")),
        lambda: setattr(ann, "pledged_hours_per_week", Decimal("3.50")),
        lambda: services.set_availability(org, ann, parse_availability("Mon 09:00-13:00; Thu 14:00-18:00")),
        lambda: setattr(cora.person, "name", "Cora Renamed"),  # the supervisor's name, in the sessions and choices
        archive,
        lambda: setattr(ann, "status", "left"),
    ]
    pages = (url, "/people", "/people?expiring=1", "/people?sort=-pledge&per=25", "/people?q=ann")
    for change in changes:
        change()
        db.session.commit()
        for page in pages:
            # kept before the change (below): served only if what it was made of is unchanged
            first, again = _page(client, page), _page(client, page)
            rows = _page(client, page, headers={"HX-Request": "true"})
            kept_pages.forget()
            assert first == again == _page(client, page)  # the page made afresh, kept again for the next change
            assert rows == _page(client, page, headers={"HX-Request": "true"})
    again = _page(client, url)
    assert "Cora Renamed" in again and "Likes &lt;mornings&gt; &amp; tea" in again and 'value="3.50"' in again


def test_a_kept_page_runs_the_same_statements(client, db) -> None:
    org = make_org("tackley", "Tackley Village Shop")
    make_member(org, "coordinator@tackley.example", role="coordinator")
    ann = make_member(org, "ann@example.org")
    db.session.commit()
    assert send(client, "POST", "/login", data={"email": "coordinator@tackley.example",
                                                "password": DEFAULT_PASSWORD}).status_code == 302
    assert send(client, "GET", f"/people/{ann.id}").status_code == 200  # the first page after signing in
    kept_pages.forget()
    counts = []
    for at_mark in (False, False, True):  # made, then kept (its rows read and compared), then served at the mark
        if not at_mark:
            kept_pages.PERSONS_AT_MARK.forget()
        with statements_run() as statements:
            assert send(client, "GET", f"/people/{ann.id}").status_code == 200
        counts.append(len(statements))
    # the sign-in read (with the organisation's change mark: the page is served at it,
    # people.kept_pages.person_at_mark), then the page's four reads; served at the mark, none of them
    assert counts == [5, 5, 1]


def test_text_holding_the_token_elsewhere_is_not_kept(app) -> None:
    with app.app_context():
        kept_pages.forget()
        kept_pages.keep(("k",), 1, ("facts",), "a TOK b TOK c TOK typed in", "TOK", 2)
        assert kept_pages.kept_content(("k",), 1, ("facts",), "NEW") is None
        kept_pages.keep(("k",), 1, ("facts",), "a TOK b TOK c", "TOK", 2)
        assert kept_pages.kept_content(("k",), 1, ("facts",), "NEW") == "a NEW b NEW c"
        assert kept_pages.kept_content(("k",), 1, ("other facts",), "NEW") is None
        assert kept_pages.kept_content(("k",), 2, ("facts",), "NEW") is None  # another organisation's
