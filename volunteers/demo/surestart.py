"""Sure Start Gateshead peer counsellors: ward visits, groups, follow-up calls, a helpline.

About fifty local mothers trained as breast-feeding peer counsellors. Most
give a few hours a week. One counsellor carries the helpline's nights
(three to four in a row, then a ward visit the next morning) and the peer
support lead works three times her pledge: the load rules should flag both.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial

from volunteers.demo.mothers import add_mothers
from volunteers.demo.names import (
    GATESHEAD_FIRST,
    GATESHEAD_LAST,
    email_for,
    invent_names,
    phone_for,
)
from volunteers.demo.notices import add_leave_after_rostering
from volunteers.demo.planner import first_slot
from volunteers.demo.spec import (
    ExtraContribution,
    FixedDuty,
    OrgSpec,
    PatternSpec,
    PersonSpec,
    QualificationSpec,
    RoleSpec,
    random_availability,
    random_pledge,
)
from volunteers.demo.tackley import ADMIN, SHARED

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
ALL_DAYS = (MON, TUE, WED, THU, FRI, SAT, SUN)
WEEKDAYS = (MON, TUE, WED, THU, FRI)
DOMAIN = "surestart.example"
COURSE, DBS = "Peer counsellor course", "DBS check"
LEAD, NIGHTS = "donna.charlton@surestart.example", "leanne.dodds@surestart.example"
COUNSELLOR, COORDINATOR = "counsellor@surestart.example", "coordinator@surestart.example"
WARD, ON_CALL, HELPLINE = "Hospital ward visit", "Helpline on call", "Helpline"
GROUP, CALLS = "Community support group", "20-week follow-up calls"


def _t(hhmm: str) -> time:
    return time.fromisoformat(hhmm)


def _group(key: str, site: str, start: str, end: str) -> PatternSpec:
    """A support group: the first Tuesday of the month, never on a bank holiday."""
    return PatternSpec(key, GROUP, site, (TUE,), _t(start), _t(end), 2, month_position=1, skip_bank_holidays=True)


PATTERNS = [
    PatternSpec("ward_am", WARD, "QE Hospital maternity ward", ALL_DAYS, _t("10:00"), _t("13:00"), 2),
    PatternSpec("ward_pm", WARD, "QE Hospital maternity ward", WEEKDAYS, _t("14:00"), _t("17:00"), 1),
    PatternSpec("helpline_day", HELPLINE, "Helpline (remote)", WEEKDAYS, _t("09:00"), _t("13:00"), 1),
    PatternSpec("helpline_evening", ON_CALL, "Helpline (remote)", ALL_DAYS, _t("18:00"), _t("23:00"), 1),
    PatternSpec("helpline_night", ON_CALL, "Helpline (remote)", ALL_DAYS, _t("23:00"), _t("07:00"), 1),
    _group("group_bensham", "Bensham group", "10:00", "12:00"),
    _group("group_felling", "Felling group", "13:30", "15:30"),
    _group("group_birtley", "Birtley group", "10:00", "12:00"),
    _group("group_lowfell", "Low Fell group", "13:30", "15:30"),
    PatternSpec("calls", CALLS, "Phone", (MON, WED, FRI), _t("13:00"), _t("15:00"), 1),
]
PARTS = ((_t("09:00"), _t("17:00")), (_t("09:00"), _t("13:00")), (_t("18:00"), _t("23:00")),
         (_t("18:00"), _t("07:00")), (_t("09:00"), _t("23:00")))


def _course(today: date, expires_in_days: int) -> tuple[date, date]:
    expires = today + timedelta(days=expires_in_days)
    return expires - timedelta(days=2 * 365), expires


def _spec_shell() -> OrgSpec:
    return OrgSpec(
        "surestart", "Sure Start Gateshead peer counsellors", "Europe/London", "user_codelivery_professional_design",
        qualifications=[QualificationSpec(COURSE, 24), QualificationSpec(DBS, 36, kind="check")],
        roles=[RoleSpec(WARD, Decimal("1.5"), COURSE, priority=3),
               RoleSpec(ON_CALL, Decimal("1.5"), COURSE, on_call=True, priority=2),
               RoleSpec(HELPLINE, Decimal("1.5"), COURSE, priority=2),
               RoleSpec(GROUP), RoleSpec(CALLS)],
        sites=["QE Hospital maternity ward", "Helpline (remote)", "Bensham group", "Felling group",
               "Birtley group", "Low Fell group", "Phone"],
        patterns=PATTERNS, people=[], extras=[], approver=COORDINATOR,
        key_drivers=[LEAD], night_heavy=[NIGHTS],
    )


def _fixed_people(now: datetime, today: date, rng: random.Random) -> list[PersonSpec]:
    ward_key, ward_day = first_slot(_spec_shell(), ("ward_am",), now, timedelta(hours=1))
    # the groups meet on first Tuesdays: a Tuesday ward round leaves that day's group to others (no long day)
    group = [] if ward_day.weekday() == TUE else [FixedDuty("group_bensham", (TUE,))]
    recent, ahead = today - timedelta(days=21), today + timedelta(days=14)
    return [
        PersonSpec(COORDINATOR, "Janet Milburn", phone_for(rng), role="coordinator",
                   joined_on=today - timedelta(days=6 * 365), in_pool=False, login=True,
                   notes="Infant feeding coordinator (NHS); designs the service and supervises."),
        PersonSpec(LEAD, "Donna Charlton", phone_for(rng), pledge=Decimal(5), joined_on=today - timedelta(days=5 * 365),
                   quals={COURSE: _course(today, 400), DBS: (today - timedelta(days=500), today + timedelta(days=590))},
                   last_supervised_on=today - timedelta(days=20), login=True, in_pool=False, no_show_rate=0,
                   fixed=[FixedDuty("ward_pm", (MON, WED, FRI)), FixedDuty("group_bensham", (TUE,)),
                          FixedDuty("helpline_day", (THU,)), FixedDuty("calls", (FRI,))],
                   notes="Peer support lead; runs the Bensham group. A key driver."),
        PersonSpec(NIGHTS, "Leanne Dodds", phone_for(rng), pledge=Decimal(6), joined_on=today - timedelta(days=3 * 365),
                   quals={COURSE: _course(today, 300)}, last_supervised_on=today - timedelta(days=100),
                   login=True, in_pool=False, no_show_rate=0,
                   fixed=[FixedDuty("helpline_night", (FRI, SAT, SUN)),
                          FixedDuty("helpline_night", (THU,), recent, ahead),
                          FixedDuty("ward_am", (MON,), recent, ahead)],
                   notes="Covers most helpline nights; lately four in a row, then the Monday ward round."),
        PersonSpec(COUNSELLOR, "Kelly Robson", phone_for(rng), pledge=Decimal(5), joined_on=today - timedelta(days=400),
                   quals={COURSE: _course(today, 330)}, last_supervised_on=today - timedelta(days=35),
                   login=True, in_pool=False,
                   fixed=[FixedDuty(ward_key, (ward_day.weekday(),)), *group],
                   notes="Demo counsellor login: a weekly ward round (and the Bensham group unless the round is "
                         "on a Tuesday)."),
        PersonSpec(SHARED, "Jo Lambert", pledge=Decimal(2), joined_on=today - timedelta(days=200),
                   availability=tuple(random_availability(rng, (MON, WED, FRI), ((_t("13:00"), _t("15:00")),), 3)),
                   last_supervised_on=today - timedelta(days=50),
                   notes="Also volunteers at Tackley Village Shop; makes follow-up calls from home."),
        PersonSpec(ADMIN, "Chris Morton", role="admin", in_pool=False),
    ]


def _counsellors(today: date, rng: random.Random, taken: set[str]) -> list[PersonSpec]:
    people = []
    for given, family in invent_names(rng, GATESHEAD_FIRST, GATESHEAD_LAST, 47, taken):
        stated = rng.random() < 0.45
        people.append(PersonSpec(
            email_for(given, family, DOMAIN), f"{given} {family}", phone_for(rng),
            pledge=random_pledge(rng, {2: 15, 3: 30, 4: 30, 5: 15, 6: 10}),
            joined_on=today - timedelta(days=rng.randrange(90, 5 * 365)),
            quals={COURSE: _course(today, rng.randrange(70, 700))},
            availability=random_availability(rng, ALL_DAYS, PARTS, rng.randint(2, 4)) if stated else (),
            last_supervised_on=today - timedelta(days=rng.randrange(3, 56)),
        ))
        if rng.random() < 0.8:
            people[-1].quals[DBS] = (today - timedelta(days=rng.randrange(30, 1000)), None)
    # Course records: four expiring within 60 days, one lapsed a fortnight ago.
    for person, days in zip(people[:5], (9, 23, 38, 55, -15), strict=True):
        person.quals[COURSE] = _course(today, days)
    # Supervision: two overdue (warning), one long overdue (critical).
    for person, days in zip(people[5:8], (70, 78, 96), strict=True):
        person.last_supervised_on = today - timedelta(days=days)
        person.availability = ()
    for person, offset, length, reason in ((people[10], 5, 14, "Holiday"), (people[11], -30, 21, "Baby due"),
                                           (people[12], 20, 7, "Family wedding")):
        person.leave.append((today + timedelta(days=offset), today + timedelta(days=offset + length - 1), reason))
    people[13].no_show_rate = 0.1
    people[14].status, people[14].notes = "paused", "On maternity leave."
    return people


def _extras(today: date, history_start: date, people: list[PersonSpec]) -> list[ExtraContribution]:
    extras = [
        ExtraContribution(today - timedelta(days=50), "in_kind", "delivery", "approved", amount=Decimal("240.00"),
                          contributor_name="Bensham Methodist Church", contributor_type="community_group",
                          note="Free room hire for the Bensham group this quarter"),
        ExtraContribution(today - timedelta(days=70), "money", "commissioning", "approved", amount=Decimal("300.00"),
                          contributor_name="Gateshead Round Table", contributor_type="community_group",
                          note="Towards helpline phone credit"),
        ExtraContribution(today - timedelta(days=5), "time", "delivery", "pending", hours=Decimal("1.50"),
                          email=people[20].email, note="Extra phone support for a mum with twins", at=_t("20:00")),
        ExtraContribution(today - timedelta(days=8), "time", "delivery", "pending", hours=Decimal("3.00"),
                          email=people[21].email, note="Breastfeeding stall at the Baby Week fair"),
    ]
    day = history_start + timedelta(days=(WED - history_start.weekday()) % 7)
    while day < today:  # the hospital's infant feeding team supervises the counsellors monthly
        extras.append(ExtraContribution(day, "expertise", "monitoring", "approved", hours=Decimal("2.00"),
                                        contributor_name="QE Hospital infant feeding team",
                                        contributor_type="professional", note="Group supervision", at=_t("18:30")))
        extras.append(ExtraContribution(day, "time", "design", "approved", hours=Decimal("2.00"), email=LEAD,
                                        note="Reviewing the course and the ward-visit protocol", at=_t("18:30")))
        day += timedelta(days=28)
    return extras


def surestart(now: datetime, today: date, history_start: date, rng: random.Random) -> OrgSpec:
    """Return the Sure Start demo, relative to ``now`` (``today`` is its local date)."""
    spec = _spec_shell()
    fixed = _fixed_people(now, today, rng)
    counsellors = _counsellors(today, rng, {p.email.split("@")[0] for p in fixed} | {"jo.lambert"})
    spec.people = fixed + counsellors
    spec.extras = _extras(today, history_start, counsellors)
    spec.post_build.append(partial(add_mothers, ward_role=WARD))  # ~120 mothers, contacts, caseloads
    spec.post_build.append(partial(add_leave_after_rostering, email=COUNSELLOR))  # "Kelly Robson is away …"
    return spec
