"""Load warnings raised and made worse by the scan, and issued reports, become webhook events."""
from __future__ import annotations

import json
from datetime import timedelta

from tests.api.test_webhooks import deliveries, receiver  # noqa: F401 (the loopback receiver fixture)
from tests.integration.wellbeing.conftest import MONDAY, NOW, helpline, member  # noqa: F401 (fixtures)
from volunteers.api import webhook_sender, webhooks
from volunteers.core.timeutil import Month
from volunteers.extensions import db
from volunteers.reports.services import issue_report
from volunteers.wellbeing.services import scan

EVENTS = ["warning.raised", "warning.worsened", "report.issued"]


def test_a_warning_raised_then_worse_and_a_report_issued_are_delivered(helpline, member, receiver,  # noqa: F811
                                                                        clock) -> None:
    org = helpline.org
    cora = member("cora@example.org", role="coordinator")
    endpoint = webhooks.register_endpoint(org, cora.person_id, receiver.url, EVENTS, NOW)
    leanne = member("leanne@example.org", pledge=None)
    helpline.nights(leanne, MONDAY - timedelta(days=3), 3, status="attended")
    scan(org, NOW)
    scan(org, NOW + timedelta(hours=1))  # nothing new: nothing queued
    helpline.nights(leanne, MONDAY, 1)
    scan(org, NOW + timedelta(hours=2))
    issue_report(org, Month(2026, 10), NOW, cora.person_id)
    db.session.commit()
    assert [d.event_type for d in deliveries()] == EVENTS  # no shift events: not subscribed

    assert webhook_sender.send_due(NOW + timedelta(hours=2)) == 3
    raised, worse, report = (json.loads(body) for _, body in receiver.got)
    assert raised["data"]["id"] == worse["data"]["id"]
    assert (raised["data"]["rule"], raised["data"]["severity"], raised["data"]["membership_id"]) == (
        "consecutive_nights", "warning", leanne.id)
    assert (worse["data"]["severity"], worse["data"]["value"], worse["data"]["prospective"]) == ("critical", 4.0, True)
    assert "message" not in raised["data"]
    assert (report["data"]["month"], report["organisation"]) == ("2026-10", org.id)
    for headers, body in receiver.got:
        assert webhooks.verify(endpoint.secret, body, headers["Volunteers-Signature"],
                               int((NOW + timedelta(hours=2)).timestamp()))


def test_no_endpoint_wanting_warnings_reads_nothing_more(helpline, member, receiver, clock) -> None:  # noqa: F811
    org = helpline.org
    cora = member("cora@example.org", role="coordinator")
    webhooks.register_endpoint(org, cora.person_id, receiver.url, ["shift.cancelled"], NOW)
    leanne = member("leanne@example.org", pledge=None)
    helpline.nights(leanne, MONDAY - timedelta(days=3), 3, status="attended")
    assert scan(org, NOW).new == 1
    db.session.commit()
    assert deliveries() == []


def test_the_re_judging_at_commit_queues_the_warning_with_the_change(helpline, member, receiver,  # noqa: F811
                                                                        clock) -> None:
    org = helpline.org
    cora = member("cora@example.org", role="coordinator")
    webhooks.register_endpoint(org, cora.person_id, receiver.url, ["warning.raised", "assignment.created"], NOW)
    db.session.commit()
    leanne = member("leanne@example.org", pledge=None)
    helpline.nights(leanne, MONDAY - timedelta(days=3), 3, status="attended")
    db.session.commit()  # wellbeing re-judges Leanne just before this commit
    assert sorted(d.event_type for d in deliveries()) == ["assignment.created"] * 3 + ["warning.raised"]
