"""The candidate of /me/shifts/open is kept per worker by the rows it was made of (``open_candidate._KEPT``) and
served again only while the rows read are equal: each step changes one thing and must be seen."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from tests.factories import put_on, utc
from tests.integration.selfservice.conftest import shift_at
from volunteers.core.timeutil import local_date
from volunteers.extensions import db as _db
from volunteers.people import services as people
from volunteers.selfservice import open_candidate
from volunteers.selfservice.leave import add_leave

NOW = utc(2026, 11, 2, 8)
END = NOW + timedelta(days=42)


def _both(world):
    """The candidate as served (kept where the rows are equal) and as made afresh; they must be equal."""
    served = open_candidate.load_with_held(world.org, world.ann.id, NOW, END)
    kept = dict(open_candidate._KEPT)
    open_candidate._KEPT.clear()
    fresh = open_candidate.load_with_held(world.org, world.ann.id, NOW, END)
    open_candidate._KEPT.clear()
    open_candidate._KEPT.update(kept)
    assert served == fresh
    return served


def test_kept_candidate_follows_what_is_read(world, app) -> None:
    open_candidate._KEPT.clear()
    first = _both(world)
    assert open_candidate.load_with_held(world.org, world.ann.id, NOW, END) is first  # kept

    steps = []
    training = people.qualification_named(world.org, "Post Office training")
    people.set_qualification(world.org, world.ann, training, expires_on=None)
    _db.session.commit()
    steps.append(_both(world))

    put_on(shift_at(world.org, world.post_office, world.hall, utc(2026, 11, 6, 10)), world.ann)
    _db.session.commit()
    steps.append(_both(world))

    add_leave(world.org, world.ann, local_date(NOW, "Europe/London") + timedelta(days=1), None, "away",
              local_date(NOW, "Europe/London"))
    _db.session.commit()
    steps.append(_both(world))

    world.ann.pledged_hours_per_week = Decimal("7.5")
    _db.session.commit()
    steps.append(_both(world))

    seen = [first, *steps]
    assert all(a != b for a, b in zip(seen, seen[1:], strict=False))  # every step changed the candidate


def test_kept_candidates_are_bounded(world, app, monkeypatch) -> None:
    monkeypatch.setattr(open_candidate, "KEPT_AT_MOST", 2)
    open_candidate._KEPT.clear()
    for member in (world.ann, world.bob, world.cat, world.coordinator):
        assert open_candidate.load_with_held(world.org, member.id, NOW, END) is not None
        assert len(open_candidate._KEPT) <= 2


def test_a_candidate_read_of_much_text_is_not_kept(world, app, monkeypatch) -> None:
    open_candidate._KEPT.clear()
    put_on(shift_at(world.org, world.post_office, world.hall, utc(2026, 11, 6, 10)), world.ann)
    _db.session.commit()
    assert _both(world) is not None and (world.org.id, world.ann.id) in open_candidate._KEPT
    monkeypatch.setattr(open_candidate, "LONGEST", 10)  # fewer characters than one duty's two instants
    open_candidate._KEPT.clear()
    assert _both(world) is not None
    assert open_candidate.load_with_held(world.org, world.ann.id, NOW, END) is not None
    assert (world.org.id, world.ann.id) not in open_candidate._KEPT
