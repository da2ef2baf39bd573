"""A kept person's page and /people compare every read's rows as the driver gave them (``people.compiled_reads``):
each change below shows in one read only, and the page shown after it is the page made afresh (issue 13)."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from tests.factories import DEFAULT_PASSWORD, make_member, make_org
from tests.integration.auth_support import send
from tests.integration.test_kept_pages import _page  # the page as served, token and stamp masked
from volunteers.people import compiled_reads, kept_pages, person_page, services, supervision
from volunteers.people.passwords import hash_password


def test_a_change_in_any_one_read_makes_the_page_afresh(app, client, db, clock, monkeypatch) -> None:
    org = make_org("tackley", "Tackley Village Shop")
    make_member(org, "coordinator@tackley.example", role="coordinator", name="Cora Ordinator")
    ann = make_member(org, "ann@example.org", name="Ann Archer")
    ann.person.password_hash = None
    services.set_qualification(org, ann, services.qualification_named(org, "DBS check"),
                               clock.now.date() + timedelta(days=70))
    session = supervision.record_session(org, ann, clock.now.date() - timedelta(days=3), None, "by phone",
                                         clock.now.date())
    db.session.commit()
    assert send(client, "POST", "/login", data={"email": "coordinator@tackley.example",
                                                "password": DEFAULT_PASSWORD}).status_code == 302
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # a person's page is kept only with its token
    kept_pages.forget()  # other tests' pages (the app is the session's)
    changes = {
        # the member's row: whether a password is set (never the hash itself), the pledge
        "password": lambda: setattr(ann.person, "password_hash", hash_password("a new one")),
        "pledge": lambda: setattr(ann, "pledged_hours_per_week", Decimal("2.5")),
        # the sessions' read alone: a session's note
        "note": lambda: setattr(session, "note", "in person"),
        # the supervisors' read alone: a new coordinator to choose
        "supervisor": lambda: make_member(org, "dee@example.org", role="coordinator", name="Dee Supervisor"),
        # the qualifications' read alone (on a person's page): another qualification to choose
        "qualification": lambda: services.qualification_named(org, "First aid"),
        # no row changes, only today: the DBS check is due within 60 days, then expired
        "soon": lambda: setattr(clock, "now", clock.now + timedelta(days=15)),
        "expired": lambda: setattr(clock, "now", clock.now + timedelta(days=60)),
        "left": lambda: setattr(ann, "status", "left"),
    }
    pages = ((f"/people/{ann.id}", {}), ("/people", {}), ("/people?expiring=1", {}),
             ("/people", {"HX-Request": "true"}))

    def shown() -> list[str]:
        return [_page(client, url, headers=headers) for url, headers in pages]

    for name, change in changes.items():
        shown()
        assert len(kept_pages.PAGES.texts()) == len(pages), name  # each page kept
        change()
        db.session.commit()
        after = shown()
        kept_pages.forget()
        assert after == shown(), name  # what a change showed is the page made afresh
    person = _page(client, f"/people/{ann.id}")
    assert "Ann Archer has set a password" in person and "in person" in person and "Dee Supervisor" in person
    assert 'value="2.50"' in person and "(expired)" in person and "First aid" in person
    assert "Left" in _page(client, "/people")


def test_pages_alike_in_what_they_read_are_kept_apart(app, client, db, monkeypatch) -> None:
    """The key's parts: pages whose reads are the same rows differ in what they were asked."""
    org = make_org("tackley", "Tackley Village Shop")
    make_member(org, "coordinator@tackley.example", role="coordinator", name="Cora Ordinator")
    ann = make_member(org, "ann@example.org", name="Ann Archer")
    db.session.commit()
    assert send(client, "POST", "/login", data={"email": "coordinator@tackley.example",
                                                "password": DEFAULT_PASSWORD}).status_code == 302
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    hx, root = {"headers": {"HX-Request": "true"}}, {"base_url": "http://localhost/rota-app"}
    alike = [
        (("/people", {}), ("/people", hx)),  # the rows alone for htmx
        (("/people?q=zzz", {}), ("/people?status=paused", {})),  # nobody either way: the filters
        (("/people?sort=name", {}), ("/people?sort=email", {})),  # the same order: the sort
        (("/people", {}), ("/people?per=25", {})),  # everyone on one page: its size
        (("/people", {}), ("/people", root)),  # the links' root
        ((f"/people/{ann.id}", {}), (f"/people/{ann.id}", root)),
    ]
    for first, second in alike:
        kept_pages.forget()
        fresh = _page(client, second[0], **second[1])
        kept_pages.forget()
        _page(client, first[0], **first[1])  # kept
        assert _page(client, second[0], **second[1]) == fresh, (first, second)


def test_a_pledge_is_compared_as_written_too() -> None:
    """Equal amounts written differently (``Decimal("3") == Decimal("3.00")``) are not the same page: the form
    writes the pledge as it was read."""
    def reads(pledge: Decimal) -> person_page.Reads:
        member = compiled_reads.DriverRows([(1, "volunteer", "active", pledge, None, None, None, "Ann", "a@example.org",
                                       None, False, None, None, None, None)], ())
        empty = compiled_reads.DriverRows([], ())
        return person_page.Reads(member, empty, empty, empty)

    assert reads(Decimal("3")).made_of() != reads(Decimal("3.00")).made_of()
    assert reads(Decimal("3.00")).made_of() == reads(Decimal("3.00")).made_of()
