"""Reminders: due ``reminder_hours`` before the shift in local time, sent once over real SMTP, never twice."""
from __future__ import annotations

from datetime import date, time, timedelta
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tests.factories import make_shift, put_on, utc
from tests.integration.selfservice.conftest import shift_at
from volunteers.core.timeutil import format_span
from volunteers.extensions import db as _db
from volunteers.mail import sender
from volunteers.mail.models import OutboxMessage
from volunteers.rota.places import release_place
from volunteers.selfservice.domain.notice import reminder_due_at
from volunteers.selfservice.jobs import send_reminders
from volunteers.selfservice.reminders import due_reminders

LONDON = ZoneInfo("Europe/London")


def _subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_a_reminder_for_a_shift_tomorrow_arrives_once(world, smtp) -> None:
    # a fixed clock (GMT, no change of the clocks in the next day): the outbox stamps messages with ``now``
    now = utc(2026, 11, 30, 9, 7)
    shift = shift_at(world.org, world.shop, world.hall, now + timedelta(hours=23, minutes=55))  # tomorrow
    put_on(shift, world.ann)
    put_on(shift, world.bob)
    _db.session.commit()
    assert send_reminders(now) == 2
    assert sender.send_due(now) == 2
    to_ann = [m for m in smtp.messages if m["To"] == "ann@example.org"]
    assert len(to_ann) == 1
    when = format_span(shift.starts_at, shift.ends_at, "Europe/London")
    assert _subject(to_ann[0]) == f"Reminder: Shop counter, {when}"
    parts = {part.get_content_type(): part.get_payload(decode=True).decode() for part in to_ann[0].walk()
             if not part.is_multipart()}
    assert "With Bob." in parts["text/plain"] and "Village hall shop" in parts["text/html"]
    # the job runs again (next quarter hour, and again in the same one): nothing new is sent
    next_slot = utc(2026, 11, 30, 9, 15)
    assert send_reminders(next_slot) == 0
    assert send_reminders(next_slot + timedelta(seconds=30)) is None  # same slot: already done
    assert sender.send_due(now + timedelta(minutes=20)) == 0
    assert len(smtp.messages) == 2


def test_nothing_is_due_before_the_reminder_time_or_for_cancelled_places(world) -> None:
    shift = shift_at(world.org, world.shop, world.hall, utc(2026, 11, 3, 9))
    put_on(shift, world.ann)
    release_place(world.org, put_on(shift, world.bob), utc(2026, 11, 1))
    assert due_reminders(world.org, utc(2026, 11, 2, 8, 59)) == []
    assert [a.membership_id for a in due_reminders(world.org, utc(2026, 11, 2, 9))] == [world.ann.id]
    assert due_reminders(world.org, utc(2026, 11, 3, 9)) == []  # started


def test_reminder_hours_is_an_organisation_setting(world) -> None:
    world.org.settings = {"reminder_hours": 48}
    put_on(shift_at(world.org, world.shop, world.hall, utc(2026, 11, 5, 9)), world.ann)
    assert due_reminders(world.org, utc(2026, 11, 3, 8, 59)) == []
    assert len(due_reminders(world.org, utc(2026, 11, 3, 9))) == 1


def test_the_day_before_is_counted_on_the_local_clock_across_the_change() -> None:
    # Sunday 25 Oct 2026 09:00 GMT: the reminder goes at 09:00 BST on Saturday, 25 real hours before
    sunday = utc(2026, 10, 25, 9)
    assert reminder_due_at(sunday, 24, LONDON) == utc(2026, 10, 24, 8)
    # Monday 30 Mar 2026 09:00 BST: the reminder goes at 09:00 BST on Sunday, 23 real hours before
    assert reminder_due_at(utc(2026, 3, 30, 8), 24, LONDON) == utc(2026, 3, 29, 8)


def test_the_job_queues_with_times_in_the_organisations_zone(world) -> None:
    put_on(make_shift(world.org, world.shop, world.hall, date(2026, 10, 25), time(9), time(13)), world.ann)
    _db.session.commit()
    assert send_reminders(utc(2026, 10, 24, 7, 45)) == 0
    assert send_reminders(utc(2026, 10, 24, 8, 0)) == 1
    message = _db.session.scalar(select(OutboxMessage))
    assert message.subject == "Reminder: Shop counter, Sun 25 Oct, 09:00–13:00"
