"""/me/shifts reads the stored findings for its load note only when its probe says one could stand (issue 13).

``notes.verdicts_probe`` is a superset of ``notes._verdicts``'s read: over every demo person, at hours
across the demo's week and the next, the notes with the read skipped on its "no" are the notes with it.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import select

from tests.demo_db import demo_app
from volunteers.extensions import db as _db
from volunteers.people.models import Membership, Person
from volunteers.wellbeing.notes import load_notes, verdicts_probe, verdicts_probe_params, verdicts_probe_sizes

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # the demo's Monday (tests/integration/test_demo.py)


@pytest.fixture(scope="module")
def demo() -> Iterator[SQLAlchemy]:
    """The demo loaded once, in an in-memory database of its own (as test_demo.py does)."""
    with demo_app(NOW, frozen=True):  # the re-judging at each commit judges at NOW, not the real clock
        yield _db


def test_the_probe_says_yes_whenever_a_stored_finding_could_make_the_note(demo) -> None:
    probed = 0
    for person in demo.session.scalars(select(Person).order_by(Person.id)):
        memberships = demo.session.scalars(select(Membership).where(Membership.person_id == person.id)
                                           .order_by(Membership.id))
        active = [(m.organisation, m) for m in memberships if m.status == "active"]
        for hours in range(-30, 14 * 24, 29):  # from the Sunday before through the next fortnight, at odd hours
            now = NOW + timedelta(hours=hours)
            could = bool(demo.session.execute(select(verdicts_probe(*verdicts_probe_sizes(active))),
                                              verdicts_probe_params(active, now)).scalar())
            assert load_notes(active, now, verdicts=could) == load_notes(active, now), (person.email, now)
            probed += could
    assert probed  # some people have findings stored: the probe is not always "no"


def test_the_probe_has_no_list_rewritten_on_each_view() -> None:
    """Its lists are plain parameters or written-in words: an expanding one is rewritten into the statement's
    text on every execution (the cost this probe was built to avoid on /me/shifts)."""
    for sizes in ((0, 0), (1, 1), (2, 3)):
        binds = select(verdicts_probe(*sizes)).compile().binds.values()
        assert not [b.key for b in binds if b.expanding], sizes
