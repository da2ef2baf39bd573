"""The volunteer's own note: kind, private, and only when there is something to say.

The note reads the verdict stored when the unit of work commits (the
re-judging at commit, on the test's clock), so each test commits its places.
"""
from __future__ import annotations

from datetime import timedelta

from tests.integration.wellbeing.conftest import MONDAY, NOW, commit_behind_the_scan
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.services import load_note, scan


def test_a_week_well_beyond_the_pledge_gets_thanks_and_permission_to_say_no(db, clock, helpline, member) -> None:
    busy = member("busy@example.org", pledge=4)
    for day in range(0, 5):  # Mon–Fri 09:00–12:00 this week, Monday's already worked? no: starts 09:00 < noon
        helpline.place(busy, MONDAY + timedelta(days=day), "09:00", "12:00")
    db.session.commit()
    assert load_note(helpline.org, busy, NOW) == (
        "You're giving 15 h this week, well beyond your 4 h — thank you; it's fine to say no.")
    later = NOW + timedelta(days=5)
    assert load_note(helpline.org, busy, later).startswith("You've given 15 h this week")


def test_a_little_over_the_pledge_says_nothing(db, clock, helpline, member) -> None:
    steady = member("steady@example.org", pledge=4)
    helpline.place(steady, MONDAY + timedelta(days=1), "09:00", "14:00")  # 5 h against 4: under 2 h beyond
    db.session.commit()
    assert load_note(helpline.org, steady, NOW) is None
    assert load_note(helpline.org, member("idle@example.org"), NOW) is None


def test_nights_in_a_row_get_a_gentle_word(db, clock, helpline, member) -> None:
    nights = member("nights@example.org", pledge=None)
    helpline.nights(nights, MONDAY + timedelta(days=3), 3)
    db.session.commit()
    note = load_note(helpline.org, nights, NOW)
    assert note == ("You're down for 3 nights in a row (3–5 Dec 2026) — thank you; please rest well, "
                    "and it's fine to ask for a night off.")


def test_the_note_never_shows_rule_codes_or_severities(db, clock, helpline, member) -> None:
    nights = member("nights@example.org", pledge=None)
    helpline.nights(nights, MONDAY + timedelta(days=3), 4)
    helpline.place(nights, MONDAY + timedelta(days=7), "10:00", "13:00", helpline.ward)
    db.session.commit()
    note = load_note(helpline.org, nights, NOW) or ""
    assert note and not any(word in note for word in ("critical", "warning", "consecutive_nights", "short_rest"))


def test_the_partial_renders_the_note(app, db) -> None:
    from flask import render_template_string

    with app.test_request_context():
        html = render_template_string('{% include "wellbeing/_my_load_note.html" %}', load_note="Thank you.")
        assert 'role="note"' in html and "Thank you." in html
        assert render_template_string('{% include "wellbeing/_my_load_note.html" %}', load_note=None).strip() == ""
        several = render_template_string('{% include "wellbeing/_my_load_note.html" %}',
                                         load_notes=[("Tackley", "A"), ("Sure Start", None)])
        assert "A" in several and "Sure Start" not in several


def test_many_nights_in_four_weeks_are_not_called_a_row(db, clock, helpline, member) -> None:
    nights = member("nights@example.org", pledge=None)
    for week in range(2):  # Tue, Thu and Sat nights: never three in a row, six in 28 days
        for day in (1, 3, 5):
            helpline.nights(nights, MONDAY + timedelta(weeks=week, days=day), 1)
    db.session.commit()
    note = load_note(helpline.org, nights, NOW)
    assert note is not None and note.startswith("You're down for 6 nights in four weeks")


def test_the_note_reads_the_stored_verdict_not_the_rules(db, clock, helpline, member) -> None:
    nights = member("nights@example.org", pledge=None)
    helpline.nights(nights, MONDAY + timedelta(days=3), 3)
    commit_behind_the_scan(db)  # as a change made straight in the database: nothing judged it yet
    assert load_note(helpline.org, nights, NOW) is None
    scan(helpline.org, NOW)
    db.session.commit()
    assert (load_note(helpline.org, nights, NOW) or "").startswith("You're down for 3 nights in a row (3–5 Dec 2026)")


def test_an_acknowledged_warning_still_gets_its_word_and_a_resolved_one_does_not(db, clock, helpline,
                                                                                  member) -> None:
    nights = member("nights@example.org", pledge=None)
    helpline.nights(nights, MONDAY + timedelta(days=3), 3)
    db.session.commit()
    row = db.session.query(LoadWarning).filter_by(membership_id=nights.id, rule="consecutive_nights").one()
    row.status = "acknowledged"
    db.session.commit()
    assert (load_note(helpline.org, nights, NOW) or "").startswith("You're down for 3 nights")
    row.status = "resolved"
    db.session.commit()
    assert load_note(helpline.org, nights, NOW) is None
