"""The daily digest through a real SMTP server, the run-once jobs, and `load scan`."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.integration.wellbeing.conftest import MONDAY, NOW, commit_behind_the_scan
from volunteers.core.models import JobRun
from volunteers.mail import sender
from volunteers.scheduler import all_jobs
from volunteers.wellbeing import jobs
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.services import digest, scan


def _body(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode()
    raise AssertionError("no text part")


def test_coordinators_get_one_digest_of_new_warnings_and_again_only_when_worse(db, helpline, member, smtp,
                                                                              clock) -> None:
    member("janet@example.org", role="coordinator")
    member("volunteer@example.org")
    leanne = member("leanne@example.org", pledge=None)
    helpline.nights(leanne, MONDAY + timedelta(days=2), 3)
    scan(helpline.org, NOW)
    assert digest(helpline.org, NOW).messages == 1
    db.session.commit()
    assert sender.send_due(NOW) == 1
    (message,) = smtp.messages
    assert message["To"] == "janet@example.org"
    assert "1 load warning" in message["Subject"]
    text = _body(message)
    assert "Leanne: Nights in a row (warning, on the planned rota)" in text
    assert "Night duties on 3 consecutive dates" in text and "/warnings" in text

    tomorrow = clock.now = NOW + timedelta(days=1)
    scan(helpline.org, tomorrow)
    assert digest(helpline.org, tomorrow).messages == 0  # nothing new or worse

    helpline.nights(leanne, MONDAY + timedelta(days=5), 1)
    scan(helpline.org, tomorrow)
    assert digest(helpline.org, tomorrow).messages == 1
    db.session.commit()
    sender.send_due(tomorrow)
    assert "(critical, worse than before, on the planned rota)" in _body(smtp.messages[1])


def test_a_second_digest_the_same_day_waits_for_tomorrow(db, helpline, member) -> None:
    member("janet@example.org", role="coordinator")
    one, two = member("one@example.org", pledge=None), member("two@example.org", pledge=None)
    helpline.nights(one, MONDAY + timedelta(days=2), 3)
    scan(helpline.org, NOW)
    assert digest(helpline.org, NOW).messages == 1
    helpline.nights(two, MONDAY + timedelta(days=2), 3)
    scan(helpline.org, NOW + timedelta(hours=1))
    assert digest(helpline.org, NOW + timedelta(hours=1)).messages == 0
    waiting = db.session.scalar(select(LoadWarning).where(LoadWarning.membership_id == two.id))
    assert waiting.notified_severity is None
    assert digest(helpline.org, NOW + timedelta(days=1)).warnings == 1


def test_notices_and_snoozed_warnings_stay_out_of_the_digest(db, helpline, member) -> None:
    from volunteers.wellbeing.services import snooze

    janet = member("janet@example.org", role="coordinator")
    leanne = member("leanne@example.org", pledge=None)
    helpline.nights(leanne, MONDAY + timedelta(days=2), 3)
    scan(helpline.org, NOW)
    row = db.session.scalar(select(LoadWarning))
    snooze(helpline.org, row, janet.person, NOW + timedelta(days=3), None, NOW)
    assert digest(helpline.org, NOW).messages == 0


def test_the_nightly_jobs_run_once_per_organisation_and_day(db, helpline, member) -> None:
    member("janet@example.org", role="coordinator")
    leanne = member("leanne@example.org", pledge=None)
    helpline.nights(leanne, MONDAY + timedelta(days=2), 3)
    commit_behind_the_scan(db)
    sunday = NOW - timedelta(days=1)  # Sunday nights judge everyone, so they find what no commit re-judged
    first = jobs.nightly_scan(sunday)
    assert (first["surestart"].new, first["surestart"].people) == (1, 2)
    assert jobs.nightly_scan(sunday + timedelta(hours=1)) == {}
    monday = jobs.nightly_scan(NOW)  # a new local day: runs again, judging only the people due
    assert (monday["surestart"].people, monday["surestart"].new) == (0, 0)
    assert jobs.daily_digest(NOW)["surestart"].messages == 1
    assert jobs.daily_digest(NOW + timedelta(hours=2)) == {}
    assert {r.status for r in db.session.scalars(select(JobRun))} == {"done"}
    assert {"wellbeing.nightly_scan", "wellbeing.daily_digest"} <= {job.id for job in all_jobs()}


def test_a_failing_organisation_is_recorded_and_retried(db, helpline, member) -> None:
    helpline.org.settings = {"load_policy": {"weekly_load": {"warning": "lots"}}}
    db.session.commit()
    assert jobs.nightly_scan(NOW) == {}
    run = db.session.scalar(select(JobRun))
    assert run.status == "failed" and "weekly_load" in run.error


def test_load_scan_prints_the_counts(db, helpline, member, runner, clock) -> None:
    leanne = member("leanne@example.org", pledge=None)
    helpline.nights(leanne, MONDAY - timedelta(days=3), 3, status="attended")
    commit_behind_the_scan(db)
    result = runner.invoke(args=["load", "scan", "--org", "surestart"])
    assert result.exit_code == 0, result.output
    assert "1 open warnings (1 new, 0 worse, 0 updated), 0 resolved" in result.output
    assert db.session.scalar(select(LoadWarning.rule)) == "consecutive_nights"


def test_load_scan_refuses_an_unknown_organisation(db, runner) -> None:
    result = runner.invoke(args=["load", "scan", "--org", "nowhere"])
    assert result.exit_code == 1 and "no organisation called 'nowhere'" in result.output
