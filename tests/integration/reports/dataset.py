"""October 2026 at Tackley, built through the real services, with every figure worked out by hand.

The month has the October clock change (25 Oct, 02:00 BST → 01:00 GMT),
shifts crossing midnight at both ends of the month, a partly filled and
an unfilled shift, a no-show, self-logged hours (approved, pending and
rejected), gifts, expertise, a reversed entry, and a rate change for one
role in the middle of the month.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from tests.factories import make_member, make_shift, put_on, utc
from tests.integration.reports.helpers import Ledger
from volunteers.contributions import rates, services
from volunteers.contributions.ledger import record_contribution
from volunteers.extensions import db
from volunteers.rota.models import Shift
from volunteers.wellbeing.models import LoadWarning

D = Decimal
#: when the coordinator recorded everything: before the report goes out on 1 Nov at 06:00
DECIDED = utc(2026, 11, 1, 5)


@dataclass
class October:
    ledger: Ledger
    shifts: dict[str, Shift]
    bob_pending_id: int


def build(ledger: Ledger, decided: datetime = DECIDED) -> October:
    org, shop, po, hall = ledger.org, ledger.shop, ledger.post_office, ledger.hall
    coordinator = ledger.coordinator.person_id
    dan = make_member(org, "dan@tackley.example", name="Dan Dyer")
    eve = make_member(org, "eve@tackley.example", name="Eve Evans")
    rates.add_rate(org, value_per_hour="15.00", effective_from=date(2026, 10, 15), role_id=po.id, note="PO pay")

    s = {
        # 00:30-04:30 BST on 1 Oct starts 23:30 UTC on 30 Sep: October (local), 4 h
        "s1": make_shift(org, shop, hall, date(2026, 10, 1), time(0, 30), time(4, 30), needed=2),
        # 22:00 BST on 30 Sep to 02:00 on 1 Oct: September, 4 h
        "s2": make_shift(org, shop, hall, date(2026, 9, 30), time(22), time(2), needed=1),
        # the night of the clock change: 00:00-06:00 on 25 Oct lasts 7 h
        "s3": make_shift(org, shop, hall, date(2026, 10, 25), time(0), time(6), needed=2),
        # 22:00 on 31 Oct (GMT) to 02:00 on 1 Nov: October, 4 h, Post Office at the new £15 rate
        "s4": make_shift(org, po, hall, date(2026, 10, 31), time(22), time(2), needed=2),
        # 14 Oct 09:00-12:30: Post Office before its own rate, so the UK default £12.71
        "s5": make_shift(org, po, hall, date(2026, 10, 14), time(9), time(12, 30), needed=1),
        # unfilled
        "s6": make_shift(org, shop, hall, date(2026, 10, 20), time(9), time(13), needed=3),
        # 00:30 GMT on 1 Nov: November
        "s7": make_shift(org, shop, hall, date(2026, 11, 1), time(0, 30), time(4), needed=2),
    }
    attend = [("s1", ledger.ann), ("s2", ledger.cat), ("s3", ledger.ann), ("s3", ledger.cat),
              ("s4", ledger.bob), ("s5", dan)]
    for key, member in attend:
        services.record_attendance(org, put_on(s[key], member), decided, coordinator)
    services.mark_no_show(org, put_on(s["s1"], ledger.bob), decided, coordinator)

    ann = services.log_hours(org, ledger.ann, date(2026, 10, 12), "2.5", None, "stock take", decided)
    bob = services.log_hours(org, ledger.bob, date(2026, 10, 13), "3", None, "deliveries", decided)
    cat = services.log_hours(org, ledger.cat, date(2026, 10, 16), "1", None, "duplicate", decided)
    eve_aug = services.log_hours(org, eve, date(2026, 8, 10), "2", None, "summer fair", decided)
    services.decide(org, [ann.id, eve_aug.id], "approved", coordinator, decided)
    services.decide(org, [cat.id], "rejected", coordinator, decided)

    record_contribution(org, decided, coordinator, kind="money", stage="commissioning", day=date(2026, 10, 3),
                        contributor_type="community_group", contributor_name="Tackley WI", amount="50")
    record_contribution(org, decided, coordinator, kind="in_kind", stage="delivery", day=date(2026, 10, 9),
                        contributor_type="service_user", contributor_name="Mrs Patel", amount="30")
    record_contribution(org, decided, coordinator, kind="expertise", stage="planning", day=date(2026, 10, 5),
                        membership_id=ledger.coordinator.id, hours="1.5")
    wrong = record_contribution(org, decided, coordinator, kind="time", stage="delivery", day=date(2026, 10, 7),
                                membership_id=dan.id, hours="2")
    services.reverse(org, wrong.id, decided, coordinator, "entered for the wrong person")
    db.session.add(LoadWarning(
        organisation_id=org.id, membership_id=ledger.ann.id, rule="weekly_load", episode_key="2026-10-19",
        severity="warning", window_start=utc(2026, 10, 18), window_end=utc(2026, 10, 25), value=16, threshold=15,
        message="16 h in 7 days", raised_at=utc(2026, 10, 25, 2)))
    db.session.flush()
    return October(ledger, s, bob.id)


# -- the expected figures, worked out by hand -----------------------------------------------
NLW, PO_RATE, EXPERTISE = D("12.71"), D("15.00"), D("18.64")
#: (person, hours, rate) of every approved hourly entry counting in October
OCTOBER_HOURS = [
    ("Ann Archer", D(4), NLW),          # s1: 23:30 UTC 30 Sep → 03:30 UTC 1 Oct
    ("Ann Archer", D(7), NLW),          # s3: 23:00 UTC 24 Oct → 06:00 UTC 25 Oct
    ("Cat Carter", D(7), NLW),          # s3
    ("Bob Baker", D(4), PO_RATE),       # s4: 22:00 UTC 31 Oct → 02:00 UTC 1 Nov
    ("Dan Dyer", D("3.5"), NLW),        # s5: 08:00 → 11:30 UTC
    ("Ann Archer", D("2.5"), NLW),      # logged and approved
    ("Cora Ordinator", D("1.5"), EXPERTISE),
    ("Dan Dyer", D(2), NLW), ("Dan Dyer", D(-2), NLW),  # entered and reversed
]
GIFTS = D(50) + D(30)
EXPECTED_HOURS = sum(h for _, h, _ in OCTOBER_HOURS)
EXPECTED_VALUE = sum(h * r for _, h, r in OCTOBER_HOURS) + GIFTS
EXPECTED_BY_VOLUNTEER = {"Ann Archer": D("13.5"), "Bob Baker": D(4), "Cat Carter": D(7), "Cora Ordinator": D("1.5"),
                         "Dan Dyer": D("3.5")}
EXPECTED_PLACES = {"needed": 2 + 2 + 2 + 1 + 3, "filled": 2 + 2 + 1 + 1 + 0, "no_shows": 1}
