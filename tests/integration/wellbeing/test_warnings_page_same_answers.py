"""/warnings made faster gives the same answers: sparkline hours, shift and window words, whole pages (issue 13).

The page once read each person's week of a place through ``local_date`` and wrote every time through
``format_span``/``window_text``/``strftime``; it now finds the week by its UTC bounds and converts each
distinct instant once (:mod:`volunteers.wellbeing.local_words`). The old ways are kept here as the
reference, over every demo member and shift; and a page served from the kept figures and hours is the
page made afresh, byte for byte.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select

from tests.demo_db import demo_app
from tests.page_text import TOKENS as _TOKENS
from volunteers.core.models import Organisation
from volunteers.core.timeutil import format_day, format_span, local_date, week_bounds
from volunteers.demo.data import PASSWORD
from volunteers.extensions import db as _db
from volunteers.people.models import Membership
from volunteers.rota.models import Shift
from volunteers.wellbeing import org_figures_cache
from volunteers.wellbeing.local_words import LocalWords
from volunteers.wellbeing.queries import window_text
from volunteers.wellbeing.schedules import iter_places, org_zone
from volunteers.wellbeing.weeks import WEEKS_AFTER, WEEKS_BEFORE, sparkline_weeks, weekly_hours

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
#: clocks around the demo's now: the week of the autumn clock change (25 Oct), Sundays late and Mondays early
NOWS = [NOW, NOW - timedelta(days=35), datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 23, 30, tzinfo=UTC), datetime(2026, 11, 29, 23, 59, tzinfo=UTC),
        datetime(2026, 11, 30, 0, 0, tzinfo=UTC), NOW + timedelta(days=40)]


@pytest.fixture(scope="module")
def demo() -> Iterator[Flask]:
    """The demo loaded and scanned once at NOW, in an in-memory database of its own, the figures cache on."""
    with demo_app(NOW, frozen=True, scanned=True, CACHE_URL="memory://") as (app, _):
        yield app


def _weeks_as_before(org: Organisation, ids: list[int], now: datetime) -> tuple[dict[int, list[float]], list[str]]:
    """The sparkline's hours as the page summed them before: each place's week from its local date."""
    tz = org_zone(org)
    this_monday = local_date(now, tz) - timedelta(days=local_date(now, tz).weekday())
    mondays = [this_monday + timedelta(weeks=k) for k in range(-WEEKS_BEFORE, WEEKS_AFTER + 1)]
    start, end = week_bounds(mondays[0], tz)[0], week_bounds(mondays[-1], tz)[1]
    hours: dict[int, list[float]] = defaultdict(lambda: [0.0] * len(mondays))
    for place in iter_places(org, ids, start, end):
        day = local_date(place.starts_at, tz)
        k = (day - mondays[0]).days // 7
        if 0 <= k < len(mondays) and place.starts_at >= start:
            hours[place.membership_id][k] += (place.ends_at - place.starts_at).total_seconds() / 3600
    return {i: hours[i] for i in ids}, [f"week of {format_day(m)}" for m in mondays]


def test_weekly_hours_are_the_hours_summed_by_local_date_for_every_demo_member(demo) -> None:
    with demo.app_context():
        for org in _db.session.scalars(select(Organisation)):
            ids = list(_db.session.scalars(select(Membership.id).where(Membership.organisation_id == org.id)))
            for now in NOWS:
                weeks = sparkline_weeks(org, now)
                expected, labels = _weeks_as_before(org, ids, now)
                assert weekly_hours(org, ids, weeks) == expected, (org.slug, now)  # the same floats
                assert weeks.labels == labels
                assert weeks.bounds[0] == week_bounds(weeks.mondays[0], org_zone(org))[0]
            assert any(any(h) for h in expected.values())  # the comparison is not of zeros


def _instants() -> list[datetime]:
    """Every quarter hour of the days around 2026's clock changes, and odd minutes of a whole year."""
    days = [datetime(2026, 3, 28, tzinfo=UTC), datetime(2026, 10, 24, tzinfo=UTC), datetime(2026, 4, 4, tzinfo=UTC),
            datetime(2026, 10, 3, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 3, 8, tzinfo=UTC)]
    found = [day + timedelta(minutes=15 * k) for day in days for k in range(4 * 24 * 3)]
    return found + [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=7919 * k) for k in range(70)]


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"])
def test_local_words_are_format_span_window_text_and_strftime(zone: str) -> None:
    tz = ZoneInfo(zone)
    words = LocalWords(tz)
    instants = _instants()
    for start in instants[::5]:
        for hours in (0.25, 3, 8, 23, 24, 25, 49):
            end = start + timedelta(hours=hours)
            assert words.span(start, end) == format_span(start, end, tz)
            assert words.span(start.isoformat(), end.isoformat()) == format_span(start, end, tz)
            assert words.window(start, end) == window_text(start, end, tz)
        assert words.stamp(start) == start.astimezone(tz).strftime("%a %-d %b %Y, %H:%M")
        assert words.day(start) == start.astimezone(tz).strftime("%a %-d %b")
    midnights = [datetime(2026, 10, d, tzinfo=tz).astimezone(UTC) for d in range(20, 31)]
    for first in midnights:
        for last in midnights:
            assert words.window(first, last) == window_text(first, last, tz)
    with pytest.raises(ValueError):
        words.span(datetime(2026, 1, 1), datetime(2026, 1, 2))


def test_every_demo_shift_reads_as_format_span_wrote_it(demo) -> None:
    with demo.app_context():
        for org in _db.session.scalars(select(Organisation)):
            tz = org_zone(org)
            words = LocalWords(tz)
            spans = _db.session.execute(select(Shift.starts_at, Shift.ends_at).where(Shift.organisation_id == org.id))
            for start, end in spans:
                assert words.span(start.isoformat(), end.isoformat()) == format_span(start, end, tz)
                assert words.window(start, end) == window_text(start, end, tz)


#: the per-session CSRF tokens of a page (its forms, meta tag and htmx header)


def _page(app: Flask, email: str, url: str = "/warnings") -> tuple[str, str]:
    """The page made afresh and then from the kept figures and hours, without the per-session CSRF tokens."""
    client = app.test_client()
    with app.app_context():  # each request in a context of its own: one shared with the fixture's would share g
        assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    pages = []
    for _ in range(2):
        with app.app_context():
            pages.append(_TOKENS.sub("", client.get(url).text))
    return pages[0], pages[1]


@pytest.mark.parametrize("email", ["coordinator@tackley.example", "coordinator@surestart.example"])
def test_a_page_from_the_kept_hours_is_the_page_made_afresh(demo, email: str) -> None:
    with demo.app_context():
        org_figures_cache.forget_all()  # the first view makes the figures and hours, the second reads them
    made, kept = _page(demo, email)
    assert made == kept and made.count('<svg class="sparkline"') >= 2
    with demo.app_context():
        org_figures_cache.forget_all()
    made, kept = _page(demo, email, "/warnings?severity=notice")  # fewer people: an entry holding more serves them
    assert made == kept


def test_words_kept_between_pages_are_dropped_when_many_and_stay_right(monkeypatch) -> None:
    from volunteers.wellbeing import local_words

    monkeypatch.setattr(local_words, "KEEP_AT_MOST", 50)
    tz = ZoneInfo("Europe/London")
    for start in _instants()[:400:7]:
        words = LocalWords(tz)  # a page: it finds what earlier pages kept, or starts afresh when they kept many
        assert len(words._seen) <= 52
        end = start + timedelta(hours=5)
        assert words.span(start, end) == format_span(start, end, tz)


def test_words_are_kept_for_a_few_zones_at_most(monkeypatch) -> None:
    from volunteers.wellbeing import local_words

    monkeypatch.setattr(local_words, "_KEPT", {})
    zones = ("Europe/London", "Europe/Dublin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe",
             "Pacific/Chatham")
    start = _instants()[0]
    for name in zones:
        tz = ZoneInfo(name)
        words = LocalWords(tz)
        assert words.span(start, start + timedelta(hours=2)) == format_span(start, start + timedelta(hours=2), tz)
        assert len(local_words._KEPT) <= local_words.ZONES_AT_MOST
