"""Announcements (issue 17.6): audience, channels and quiet hours, "My shifts", the coordinator's list, the form.

Helen (coordinator) writes to everyone, a role, a site or a day's people;
each person gets it once, by text if they chose texts for announcements and
confirmed their number and it fits a text (held to the end of quiet hours,
across the clock changes), by e-mail otherwise.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_member, make_site, put_on, utc
from tests.integration.selfservice.conftest import World, make_world, shift_at
from tests.querycount import statements_run
from volunteers.extensions import db as _db
from volunteers.mail.models import OutboxMessage
from volunteers.people.models import Membership
from volunteers.rota import site_scope
from volunteers.rota.models import Site
from volunteers.selfservice import announcements
from volunteers.selfservice.announcement_models import Announcement, AnnouncementRecipient
from volunteers.selfservice.domain.announcements import Audience, Draft
from volunteers.selfservice.domain.channels import Preferences

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # Tue 1 Dec 2026, GMT
PHONE = "+447911123456"


EVERYONE = Audience("everyone")


def _draft(audience: Audience = EVERYONE, title: str = "Closed on Boxing Day",
           body: str = "The shop is shut on the 26th.", expires_at: datetime = NOW + timedelta(days=7)) -> Draft:
    return Draft(title, body, audience, expires_at)


def _send(world: World, draft: Draft | None = None, now: datetime = NOW,
          author: Membership | None = None) -> announcements.Sent:
    sent = announcements.announce(world.org, author or world.coordinator, draft or _draft(), now)
    _db.session.commit()
    return sent


def _texts_please(membership: Membership, confirmed: bool = True, phone: str = PHONE) -> None:
    person = membership.person
    person.phone = phone
    person.phone_confirmed_at = utc(2026, 11, 1, 12, 0) if confirmed else None
    membership.preferences = {"messages": Preferences({"announcements": "sms"}).to_stored()}
    _db.session.commit()


def _recipients(announcement: Announcement) -> dict[str, str]:
    """Name → channel of everyone it went to."""
    rows = _db.session.execute(
        select(Membership, AnnouncementRecipient.channel)
        .join(AnnouncementRecipient, (AnnouncementRecipient.membership_id == Membership.id)
              & (AnnouncementRecipient.organisation_id == Membership.organisation_id))
        .where(AnnouncementRecipient.announcement_id == announcement.id))
    return {m.person.name: channel for m, channel in rows}


def _outbox() -> dict[str, OutboxMessage]:
    _db.session.expire_all()
    return {m.to_address: m for m in _db.session.scalars(select(OutboxMessage))}


# -- audience -------------------------------------------------------------------------------------------------


def test_everyone_means_the_active_members_but_not_the_sender(world) -> None:
    world.cat.status = "paused"
    _db.session.commit()
    sent = _send(world)
    assert _recipients(sent.announcement) == {"Ann": "email", "Bob": "email"}
    assert sent.people == sent.by_email == 2 and sent.by_text == 0


def test_a_role_a_site_or_a_day_means_the_people_on_such_shifts(world) -> None:
    cafe = make_site(world.org, "Café")
    long_ago = shift_at(world.org, world.post_office, world.hall, NOW - timedelta(days=100))
    recent = shift_at(world.org, world.shop, world.hall, NOW - timedelta(days=2))
    boxing_day = shift_at(world.org, world.shop, cafe, datetime(2026, 12, 26, 9, tzinfo=UTC))
    put_on(long_ago, world.bob)  # over 90 days ago: no longer one of the Post Office's people
    put_on(recent, world.ann, status="attended")
    put_on(boxing_day, world.cat)
    put_on(boxing_day, world.bob, status="cancelled")
    _db.session.commit()
    by_role = _send(world, _draft(Audience("role", role_id=world.shop.id)))
    assert _recipients(by_role.announcement) == {"Ann": "email", "Cat": "email"}
    assert _recipients(_send(world, _draft(Audience("role", role_id=world.post_office.id))).announcement) == {}
    assert _recipients(_send(world, _draft(Audience("site", site_id=cafe.id))).announcement) == {"Cat": "email"}
    by_day = _send(world, _draft(Audience("date", on=date(2026, 12, 26))))
    assert _recipients(by_day.announcement) == {"Cat": "email"}


def test_another_organisations_role_or_site_is_refused_naming_the_field(world) -> None:
    other = make_world("surestart", prefix="ss-")
    _db.session.commit()
    with pytest.raises(announcements.ServiceError) as refused:
        announcements.announce(world.org, world.coordinator, _draft(Audience("role", role_id=other.shop.id)), NOW)
    assert refused.value.field == "role_id"
    with pytest.raises(announcements.ServiceError) as refused:
        announcements.announce(world.org, world.coordinator, _draft(Audience("site", site_id=other.hall.id)), NOW)
    assert refused.value.field == "site_id"
    assert _db.session.scalar(select(func.count()).select_from(Announcement)) == 0


# -- channels, once per person, quiet hours ---------------------------------------------------------------


def test_each_person_gets_it_once_on_their_channel(world) -> None:
    _texts_please(world.ann)
    _texts_please(world.bob, confirmed=False, phone="+447911654321")
    sent = _send(world)
    assert _recipients(sent.announcement) == {"Ann": "sms", "Bob": "email", "Cat": "email"}
    outbox = _outbox()
    assert set(outbox) == {PHONE, "bob@example.org", "cat@example.org"}
    text = outbox[PHONE]
    assert text.channel == "sms" and text.next_attempt_at == NOW
    assert text.body_text == "Tackley: Closed on Boxing Day. The shop is shut on the 26th."
    mail = outbox["cat@example.org"]
    assert mail.subject == "Tackley: Closed on Boxing Day" and "The shop is shut on the 26th." in mail.body_text
    assert "Tue 8 Dec, 10:00" in mail.body_text  # until when it shows, local
    keys = [m.dedupe_key for m in outbox.values()]
    assert sorted(keys) == sorted(f"announcement:{world.org.id}:{sent.announcement.id}:{m.id}"
                                  for m in (world.ann, world.bob, world.cat))


def test_a_message_too_long_for_a_text_goes_by_e_mail_to_who_chose_texts(world) -> None:
    _texts_please(world.ann)
    sent = _send(world, _draft(body="A long message. " * 30))
    assert _recipients(sent.announcement)["Ann"] == "email" and PHONE not in _outbox()


@pytest.mark.parametrize(("now", "morning"), [
    # Sat 24 Oct 23:00 BST: the clocks go back at 02:00, so 08:00 on Sunday is 08:00 UTC
    (datetime(2026, 10, 24, 22, 0, tzinfo=UTC), datetime(2026, 10, 25, 8, 0, tzinfo=UTC)),
    # Sat 27 Mar 22:00 GMT: the clocks go forward at 01:00, so 08:00 on Sunday is 07:00 UTC
    (datetime(2027, 3, 27, 22, 0, tzinfo=UTC), datetime(2027, 3, 28, 7, 0, tzinfo=UTC)),
])
def test_a_text_in_quiet_hours_is_held_to_the_morning_across_a_clock_change(world, now, morning) -> None:
    _texts_please(world.ann)
    sent = _send(world, _draft(expires_at=now + timedelta(days=3)), now=now)
    assert _recipients(sent.announcement)["Ann"] == "sms"
    outbox = _outbox()
    assert outbox[PHONE].next_attempt_at == morning and outbox[PHONE].status == "pending"  # held, not dropped
    assert outbox["bob@example.org"].next_attempt_at == now  # e-mail goes at once


def test_a_text_quiet_hours_would_hold_past_the_expiry_goes_by_e_mail_now(world) -> None:
    _texts_please(world.ann)
    late = datetime(2026, 12, 1, 22, 0, tzinfo=UTC)
    sent = _send(world, _draft(expires_at=datetime(2026, 12, 2, 7, 0, tzinfo=UTC)), now=late)
    assert _recipients(sent.announcement)["Ann"] == "email"
    assert _outbox()["ann@example.org"].next_attempt_at == late


# -- "My shifts" ----------------------------------------------------------------------------------------------


def test_my_shifts_shows_it_until_dismissed_withdrawn_or_expired(world, client, auth, clock) -> None:
    clock.now = NOW
    sent = _send(world, _draft(body="The shop is shut on the 26th.\n\nBack on the 27th."))
    auth.login("ann@example.org")
    page = client.get("/me/shifts").get_data(as_text=True)
    assert "Closed on Boxing Day" in page and "<p>Back on the 27th.</p>" in page
    assert client.post(f"/me/announcements/{sent.announcement.id}/dismiss").status_code == 302
    assert "Closed on Boxing Day" not in client.get("/me/shifts").get_data(as_text=True)
    auth.logout()
    auth.login("bob@example.org")
    assert "Closed on Boxing Day" in client.get("/me/shifts").get_data(as_text=True)
    clock.now = sent.announcement.expires_at
    assert "Closed on Boxing Day" not in client.get("/me/shifts").get_data(as_text=True)
    clock.now = NOW
    announcements.withdraw(world.org, world.coordinator, sent.announcement.id, NOW + timedelta(hours=1))
    _db.session.commit()
    clock.now = NOW + timedelta(hours=2)
    assert "Closed on Boxing Day" not in client.get("/me/shifts").get_data(as_text=True)


def test_someone_not_sent_it_cannot_dismiss_it(world, client, auth) -> None:
    other = make_world("surestart", prefix="ss-")
    _db.session.commit()
    theirs = _send(other)
    ours = _send(world, _draft(Audience("role", role_id=world.shop.id)))  # nobody on the shop's shifts
    auth.login("ann@example.org")
    assert client.post(f"/me/announcements/{theirs.announcement.id}/dismiss").status_code == 404
    assert client.post(f"/me/announcements/{ours.announcement.id}/dismiss").status_code == 404


def test_a_person_in_two_organisations_sees_both_labelled(world, client, auth, clock) -> None:
    clock.now = NOW
    other = make_world("surestart", prefix="ss-")
    make_member(other.org, "ann@example.org")
    _db.session.commit()
    _send(world)
    _send(other, _draft(title="Group moves to Bensham"))
    auth.login("ann@example.org")
    page = client.get("/me/shifts").get_data(as_text=True)
    assert "Closed on Boxing Day" in page and "Group moves to Bensham" in page
    assert '<span class="badge org">Surestart</span>' in page


def _count(client, url: str) -> int:
    client.get(url)  # the first page after the test's own commit reloads the signed-in person: not the page's
    with statements_run() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_my_shifts_and_the_list_read_announcements_in_a_fixed_number_of_statements(world, client, auth, clock):
    clock.now = NOW
    _texts_please(world.ann)
    _send(world)
    auth.login("ann@example.org")
    mine = _count(client, "/me/shifts")
    auth.logout()
    auth.login("coord@example.org")
    listed = _count(client, "/announcements")
    for n in range(6):
        _send(world, _draft(title=f"Notice {n}", audience=Audience("role", role_id=world.shop.id)
                            if n % 2 else Audience("everyone")))
    assert _count(client, "/announcements") == listed
    auth.logout()
    auth.login("ann@example.org")
    page = client.get("/me/shifts").get_data(as_text=True)
    assert page.count("Dismiss</button>") == 4  # the first and the three to everyone
    assert _count(client, "/me/shifts") == mine


# -- the coordinator's list and withdrawing ------------------------------------------------------------------


def test_the_list_shows_reach_per_channel_and_withdrawing_stops_held_texts(world, client, auth, clock) -> None:
    _texts_please(world.ann)
    late = datetime(2026, 12, 1, 22, 0, tzinfo=UTC)  # quiet hours: Ann's text waits for 08:00
    clock.now = late
    sent = _send(world, now=late)
    auth.login("coord@example.org")
    page = client.get("/announcements").get_data(as_text=True)
    assert "Reached 3 people" in page and "2 by e-mail (0 sent, 2 waiting)" in page
    assert "1 by text (0 sent, 1 waiting)" in page
    assert client.post(f"/announcements/{sent.announcement.id}/withdraw").status_code == 302
    # nothing it queued goes now: the held text, and the e-mails the sender had not reached yet
    assert {(m.status, m.last_error) for m in _outbox().values()} == {("failed", announcements.WITHDRAWN)}
    page = client.get("/announcements").get_data(as_text=True)
    assert "1 by text (0 sent, 1 not sent)" in page and "2 by e-mail (0 sent, 2 not sent)" in page
    assert "withdrawn" in page and "Withdraw</button>" not in page


def test_a_volunteer_may_not_see_or_write_announcements(world, client, auth) -> None:
    auth.login("ann@example.org")
    assert client.get("/announcements").status_code == 403
    assert client.get("/announcements/new").status_code == 403
    assert client.post("/announcements/new", data={"title": "x"}).status_code == 403


def test_another_organisations_announcement_is_a_404(world, client, auth) -> None:
    other = make_world("surestart", prefix="ss-")
    _db.session.commit()
    theirs = _send(other)
    auth.login("coord@example.org")
    assert client.post(f"/announcements/{theirs.announcement.id}/withdraw").status_code == 404
    assert "Closed on Boxing Day" not in client.get("/announcements").get_data(as_text=True)
    _db.session.expire_all()
    assert _db.session.get(Announcement, theirs.announcement.id).withdrawn_at is None


# -- the form --------------------------------------------------------------------------------------------------


def _form(**values: str) -> dict[str, str]:
    return {"title": "Closed on Boxing Day", "body": "The shop is shut on the 26th.", "audience": "everyone",
            "role_id": "0", "site_id": "0", "on": "", "expires_on": "2026-12-27", "expires_time": "18:00",
            **values}


def test_the_form_sends_it_and_says_to_how_many(world, client, auth, clock) -> None:
    clock.now = NOW
    auth.login("coord@example.org")
    form = client.get("/announcements/new").get_data(as_text=True)
    assert 'value="2026-12-08"' in form  # a week ahead, suggested
    answer = client.post("/announcements/new", data=_form(), follow_redirects=True)
    assert "Sent to 3 people: 3 by e-mail, 0 by text." in answer.get_data(as_text=True)
    stored = _db.session.scalar(select(Announcement))
    assert stored.expires_at == datetime(2026, 12, 27, 18, 0, tzinfo=UTC) and stored.created_at == NOW


@pytest.mark.parametrize(("values", "messages"), [
    ({"title": "", "body": "x" * 1001}, ["Give the announcement a title.", "Keep the message to 1000 characters"]),
    ({"expires_on": "2026-11-30"}, ["That is already past: choose a later day or time."]),
    ({"expires_on": "30/12/2026"}, ["Not a valid date value."]),
    ({"expires_time": "25:00"}, ["Not a valid time value."]),
    ({"audience": "role"}, ["Choose the role."]),
    ({"audience": "date", "on": "2026-11-01"}, ["That day is over: choose today or a later day."]),
    ({"audience": "role", "role_id": "99999"}, ["Not a valid choice."]),
    ({"audience": "nobody"}, ["Not a valid choice."]),
])
def test_bad_input_is_refused_beside_its_field_and_nothing_is_sent(world, client, auth, clock, values, messages):
    clock.now = NOW
    auth.login("coord@example.org")
    answer = client.post("/announcements/new", data=_form(**values))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "There is a problem" in page
    for message in messages:
        assert message in page
    assert 'aria-invalid="true"' in page
    assert _db.session.scalar(select(func.count()).select_from(Announcement)) == 0
    assert _db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_posting_the_form_needs_its_csrf_token(world, make_app) -> None:
    from config import TestingConfig

    class WithCsrf(TestingConfig):
        WTF_CSRF_ENABLED = True

    client = make_app(WithCsrf).test_client()
    login = client.get("/login").get_data(as_text=True)
    token = login.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"email": "coord@example.org", "password": "correct horse battery",
                                "csrf_token": token})
    assert client.post("/announcements/new", data=_form()).status_code == 400
    assert _db.session.scalar(select(func.count()).select_from(Announcement)) == 0


# -- coordinators limited to some sites ------------------------------------------------------------------------


@pytest.fixture()
def limited(world) -> tuple[World, Site]:
    """Helen coordinates the hall only; the café is someone else's. Ann works at the hall, Bob at the café."""
    cafe = make_site(world.org, "Café")
    site_scope.set_sites(world.org, world.coordinator, {world.hall.id})
    day = datetime(2026, 12, 26, 9, tzinfo=UTC)
    put_on(shift_at(world.org, world.shop, world.hall, day), world.ann)
    put_on(shift_at(world.org, world.shop, cafe, day), world.bob)
    _db.session.commit()
    return world, cafe


def test_a_site_coordinator_announces_only_to_their_sites(limited, client, auth, clock) -> None:
    world, cafe = limited
    clock.now = NOW
    auth.login("coord@example.org")
    form = client.get("/announcements/new").get_data(as_text=True)
    assert 'value="everyone"' not in form and "Café</option>" not in form
    assert client.post("/announcements/new", data=_form()).status_code == 422  # everyone: not offered
    refused = client.post("/announcements/new", data=_form(audience="site", site_id=str(cafe.id)))
    assert refused.status_code == 422 and "Not a valid choice." in refused.get_data(as_text=True)
    assert client.post("/announcements/new", data=_form(audience="date", on="2026-12-26")).status_code == 302
    for audience in (Audience("role", role_id=world.shop.id), Audience("date", on=date(2026, 12, 26))):
        sent = announcements.announce(world.org, world.coordinator, _draft(audience), NOW)
        assert _recipients(sent.announcement) == {"Ann": "email"}  # Bob's café place is not hers to count
    with pytest.raises(announcements.ServiceError) as refused_everyone:
        announcements.announce(world.org, world.coordinator, _draft(), NOW)
    assert refused_everyone.value.field == "audience"


def test_a_site_coordinator_sees_and_withdraws_only_theirs_and_their_sites(limited, client, auth, clock) -> None:
    world, cafe = limited
    clock.now = NOW
    admin = make_member(world.org, "ada@example.org", role="admin", name="Ada")
    _db.session.commit()
    everyone = _send(world, _draft(title="From the admin"), author=admin)
    cafe_only = _send(world, _draft(Audience("site", site_id=cafe.id), title="Café news"), author=admin)
    hall = _send(world, _draft(Audience("site", site_id=world.hall.id), title="Hall news"), author=admin)
    auth.login("coord@example.org")
    page = client.get("/announcements").get_data(as_text=True)
    assert "Hall news" in page and "Café news" not in page and "From the admin" not in page
    assert client.post(f"/announcements/{cafe_only.announcement.id}/withdraw").status_code == 404
    assert client.post(f"/announcements/{everyone.announcement.id}/withdraw").status_code == 404
    assert client.post(f"/announcements/{hall.announcement.id}/withdraw").status_code == 302


def test_the_e_mail_says_until_when_in_the_organisations_own_zone(db) -> None:
    world = make_world("harbour")
    world.org.timezone = "America/St_Johns"  # UTC-3:30 in December
    _db.session.commit()
    _send(world, _draft(expires_at=datetime(2026, 12, 8, 3, 30, tzinfo=UTC)))
    assert "Tue 8 Dec, 00:00" in _outbox()["ann@example.org"].body_text
