"""/warnings served whole at an unchanged change mark (``kept_page.BY_MARK``): no page statement, no store read.

A view at the mark the content was made at serves it without its rows, figures or hours, and is the page made
afresh; the clock alone ends that at the content's next flip, when a place enters the figures' 90 days, when the
sparkline's week ends, ten minutes after the figures were made, and when it is set back. A write the figures'
generation never saw (bare SQL on a connection of its own) shows at once: an entry of figures made at another mark
is stale. Run with the in-process store and Redis (``cached``), and with none (``CACHE_URL`` empty).
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests import at_mark
from tests.integration.wellbeing.conftest import NOW
from tests.integration.wellbeing.test_kept_page import nights
from tests.integration.wellbeing.test_site_scope_warnings import warned
from volunteers.core.models import Organisation
from volunteers.extensions import db as _db
from volunteers.rota.models import Assignment, Shift
from volunteers.wellbeing import kept_page, org_figures_cache
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.weeks import WEEKS_BEFORE, sparkline_weeks

__all__ = ["nights", "warned"]

def _forget() -> None:
    kept_page.forget()
    org_figures_cache.forget_all()  # the figures and hours read afresh too


class Viewer:
    """Janet's /warnings: each view, whether it was served at the mark, and the page made afresh."""

    def __init__(self, app, client, url: str = "/warnings") -> None:
        self.app, self.client, self.url = app, client, url

    def view(self) -> tuple[str, bool]:
        """The page, and whether it was served whole at the mark (with a store in memory, a page made of kept rows,
        figures and hours runs no statement after the mark either)."""
        found = []
        content_by_mark = kept_page.content_by_mark
        kept_page.content_by_mark = lambda *args: found.append(content_by_mark(*args)) or found[-1]
        try:
            page, after_the_mark = at_mark.view(self.client, self.url)
        finally:
            kept_page.content_by_mark = content_by_mark
        served = found == [found[0]] and found[0] is not None
        assert after_the_mark or not served
        return at_mark.same(page), served

    def afresh(self) -> str:
        return at_mark.afresh(self.app, _forget, lambda: at_mark.view(self.client, self.url))


@pytest.fixture(params=["store", "no store"])
def janet(request, app, client, auth, nights, cached) -> Viewer:
    """Janet's viewer; with the figures' store (``cached``: in memory, Redis) and with none (read each time)."""
    if request.param == "no store":
        # as CACHE_URL empty makes it; not through monkeypatch, whose undo (after ``cached``'s teardown, which
        # drops the entry) would bring the store back for the tests after this one
        app.extensions["org_figures_cache"] = None
    auth.login("janet@example.org")  # signing in writes (the mark moves): before any view compared
    return Viewer(app, client)


def test_a_view_at_the_mark_is_the_page_with_no_page_statement_and_no_store_read(janet, cached,
                                                                                  monkeypatch) -> None:
    asked: list[list[str]] = []  # what the store was asked for (a store that fails is never the page's failure)
    for url in ("/warnings", "/warnings?severity=warning"):
        janet.url = url
        made, served = janet.view()
        assert not served
        with monkeypatch.context() as patch:
            patch.setattr(cached, "get_many", asked.append)
            page, served = janet.view()
        assert served and page == made and not asked
        assert page == janet.afresh()


def test_a_write_the_generation_never_saw_shows_at_once(db, janet, nights) -> None:
    """Pat's places cancelled by bare SQL on a connection of its own: no generation bumped, the mark moved."""
    janet.view()
    before, served = janet.view()
    assert served
    with _db.engine.begin() as conn:
        conn.execute(Assignment.__table__.update().where(Assignment.membership_id == nights[2].id)
                     .values(status="cancelled"))
    db.session.expire_all()
    after, served = janet.view()
    assert not served and after != before
    assert after == janet.afresh()


def _ends_at(janet: Viewer, clock, end: datetime, made: datetime) -> None:
    """Made at ``made``, served until just before ``end`` and made again at it, as the page made afresh then.

    Made twice at ``made``: with its figures and hours made, and (with a store) with them read from their entries.
    """
    clock.now = made
    janet.view()
    kept_page.forget()
    assert not janet.view()[1]
    clock.now = end - timedelta(seconds=1)
    assert janet.view()[1]
    clock.now = end
    page, served = janet.view()
    assert not served
    assert page == janet.afresh()


def test_a_place_entering_the_figures_ends_the_stretch(db, janet, nights, clock) -> None:
    start = db.session.scalar(select(func.min(Shift.starts_at)).join(Assignment, Assignment.shift_id == Shift.id)
                              .where(Assignment.membership_id == nights[2].id, Shift.starts_at > clock.now))
    _ends_at(janet, clock, start, start - timedelta(minutes=5))


def test_the_sparkline_s_week_ending_ends_the_stretch(db, janet, nights, clock) -> None:
    org = db.session.get(Organisation, nights[0].org.id)
    monday = sparkline_weeks(org, clock.now).bounds[WEEKS_BEFORE + 1]
    _ends_at(janet, clock, monday, monday - timedelta(minutes=5))


def test_the_figures_are_asked_for_again_after_ten_minutes(janet, clock) -> None:
    made = clock.now
    _ends_at(janet, clock, made + timedelta(seconds=org_figures_cache.ENTRY_TTL_S), made)


def test_a_snooze_ending_ends_the_stretch(db, client, janet, clock) -> None:
    second = db.session.scalars(select(LoadWarning.id).order_by(LoadWarning.id)).all()[1]
    until = (clock.now + timedelta(days=2)).date().isoformat()
    client.post(f"/warnings/{second}/snooze", data={f"snooze{second}-until": until}, follow_redirects=True)
    snoozed_until = db.session.scalar(select(LoadWarning.snoozed_until).where(LoadWarning.id == second))
    _ends_at(janet, clock, snoozed_until, snoozed_until - timedelta(minutes=5))


def test_a_clock_set_back_makes_the_page_again(janet, clock) -> None:
    made = clock.now
    janet.view()
    assert janet.view()[1]
    clock.now = made - timedelta(seconds=1)
    page, served = janet.view()
    assert not served and page == janet.afresh()


def test_an_organisation_changed_behind_the_mark_is_not_served_its_old_page(db, janet, nights) -> None:
    """The zone changed under an unchanged mark (as where a mark is read in a statement of its own, after the
    sign-in read): the page made of the old zone is never served to a view that loaded the new one."""
    old, served = janet.view()
    assert not served
    at_mark.changed_behind_the_mark(nights[0].org.id, "UPDATE organisations SET timezone = 'America/New_York' "
                                                      "WHERE id = :o", {"o": nights[0].org.id})
    page, served = janet.view()
    assert not served and page != old
    assert page == janet.afresh()


def test_the_pages_kept_by_mark_are_bounded(app) -> None:
    content = kept_page.KeptContent(1, [], (b"a", b"b"), float("-inf"), float("inf"), None, None, {})
    with app.test_request_context():
        kept_page.forget()
        for n in range(kept_page.BY_MARK_AT_MOST * 2 + 1):
            kept_page.keep_by_mark((n,), 7, NOW, NOW + timedelta(minutes=1), content)
            assert len(kept_page.BY_MARK.texts()) <= kept_page.BY_MARK_AT_MOST
        last = (kept_page.BY_MARK_AT_MOST * 2,)
        assert kept_page.content_by_mark(last, 7, NOW) == (b"a", b"b")
        assert kept_page.content_by_mark(last, 8, NOW) is None  # another mark
        assert kept_page.content_by_mark(last, 7, NOW + timedelta(minutes=1)) is None  # past its end
        kept_page.forget()
