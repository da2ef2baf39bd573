"""Tackley Village Shop: a community shop, Post Office counter, café and deliveries.

About 55 villagers, most pledging "once a week" (3–5 h). Two early key
drivers — the chair and the treasurer — pledge 6 h and work about 20 h a
week, which the load rules should flag (over pledge, a 9-hour Wednesday).
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial

from volunteers.demo.names import (
    VILLAGE_FIRST,
    VILLAGE_LAST,
    email_for,
    invent_names,
    phone_for,
)
from volunteers.demo.notices import add_announcement
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

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
WEEKDAYS = (MON, TUE, WED, THU, FRI)
MON_SAT = (*WEEKDAYS, SAT)
DOMAIN = "tackley.example"
PO, DRIVING, DBS = "Post Office training", "Driving licence check", "DBS check"
CHAIR, TREASURER = "margaret.hartley@tackley.example", "richard.bayliss@tackley.example"
VOLUNTEER, COORDINATOR = "volunteer@tackley.example", "coordinator@tackley.example"
SHARED = "jo.lambert@tackley.example"
ADMIN = "admin@volunteers.example"


def _t(hhmm: str) -> time:
    return time.fromisoformat(hhmm)


PATTERNS = [
    PatternSpec("shop_am", "Shop counter", "Village hall shop", MON_SAT, _t("08:00"), _t("13:00"), 2),
    PatternSpec("shop_pm", "Shop counter", "Village hall shop", MON_SAT, _t("13:00"), _t("18:00"), 2),
    PatternSpec("shop_sun", "Shop counter", "Village hall shop", (SUN,), _t("09:00"), _t("12:00"), 2),
    PatternSpec("po_am", "Post Office counter", "Post Office counter", WEEKDAYS, _t("09:00"), _t("13:00"), 1),
    PatternSpec("po_pm", "Post Office counter", "Post Office counter", WEEKDAYS, _t("13:00"), _t("17:30"), 1),
    PatternSpec("cafe", "Café", "Café", WEEKDAYS, _t("09:00"), _t("12:00"), 2),
    PatternSpec("deliveries_tue", "Deliveries", "Deliveries", (TUE,), _t("10:00"), _t("12:00"), 1),
    PatternSpec("deliveries_fri", "Deliveries", "Deliveries", (FRI,), _t("14:00"), _t("16:00"), 1),
]
PARTS = ((_t("08:00"), _t("13:00")), (_t("13:00"), _t("18:00")), (_t("08:00"), _t("18:00")))


def _years(today: date, years: float) -> date:
    return today - timedelta(days=round(365.25 * years))


def _fixed_people(today: date, now: datetime, rng: random.Random) -> list[PersonSpec]:
    po_valid = (_years(today, 1.5), _years(today, -1.5))
    key, day = first_slot(_spec_shell(), ("shop_am", "shop_pm", "shop_sun"), now, timedelta(hours=2))
    return [
        PersonSpec(CHAIR, "Margaret Hartley", phone_for(rng), pledge=Decimal(6), joined_on=_years(today, 4),
                   quals={PO: po_valid}, login=True, in_pool=False, no_show_rate=0,
                   fixed=[FixedDuty("po_am", (MON, WED, FRI)), FixedDuty("shop_pm", (WED,)),
                          FixedDuty("shop_sun", (SUN,))],
                   notes="Chair of the shop committee; one of the two early key drivers."),
        PersonSpec(TREASURER, "Richard Bayliss", phone_for(rng), pledge=Decimal(6), joined_on=_years(today, 4),
                   quals={PO: po_valid, DRIVING: (_years(today, 0.3), _years(today, -0.7)),
                          DBS: (_years(today, 1), _years(today, -2))},
                   login=True, in_pool=False, no_show_rate=0,
                   fixed=[FixedDuty("po_pm", (TUE, THU)), FixedDuty("shop_am", (SAT,)),
                          FixedDuty("deliveries_fri", (FRI,)), FixedDuty("cafe", (MON,))],
                   notes="Treasurer; one of the two early key drivers."),
        PersonSpec(COORDINATOR, "Helen Coombes", phone_for(rng), role="coordinator", pledge=Decimal(4),
                   joined_on=_years(today, 3), quals={PO: (_years(today, 2.9), today + timedelta(days=41))},
                   login=True, notes="Volunteer coordinator: builds the rota and approves hours."),
        PersonSpec(VOLUNTEER, "Sam Tolley", phone_for(rng), pledge=Decimal(5), joined_on=_years(today, 1),
                   login=True, in_pool=False, fixed=[FixedDuty(key, (day.weekday(),))],
                   notes="Demo volunteer login: a regular weekly shop shift."),
        PersonSpec(SHARED, "Jo Lambert", phone_for(rng), pledge=Decimal(3), joined_on=_years(today, 2),
                   availability=random_availability(rng, (TUE, THU, SAT), PARTS, 3), login=True,
                   notes="Also a peer counsellor with Sure Start Gateshead (switch organisations)."),
        PersonSpec(ADMIN, "Chris Morton", role="admin", login=True, in_pool=False,
                   notes="Network admin (council volunteering team): sees both organisations."),
    ]


def _villagers(today: date, rng: random.Random, taken: set[str]) -> list[PersonSpec]:
    people = []
    for given, family in invent_names(rng, VILLAGE_FIRST, VILLAGE_LAST, 49, taken):
        stated = rng.random() < 0.4
        people.append(PersonSpec(
            email_for(given, family, DOMAIN), f"{given} {family}", phone_for(rng),
            pledge=random_pledge(rng, {2: 8, 3: 25, 4: 30, 5: 25, 6: 12}),
            joined_on=today - timedelta(days=rng.randrange(60, 4 * 365)),
            availability=random_availability(rng, (MON, TUE, WED, THU, FRI, SAT), PARTS, rng.randint(2, 4))
            if stated else (),
        ))
    # Qualifications: eleven Post Office clerks (two expiring soon, one lapsed last month), nine drivers.
    po_expiry = [18, 47, -20] + [rng.randrange(120, 1000) for _ in range(8)]
    for person, days in zip(people[:11], po_expiry, strict=True):
        expires = today + timedelta(days=days)
        person.quals[PO] = (expires - timedelta(days=3 * 365), expires)
        person.availability = ()
    for i, person in enumerate(people[8:17]):
        expires = today + timedelta(days=33 if i == 0 else rng.randrange(90, 360))
        person.quals[DRIVING] = (expires - timedelta(days=365), expires)
        if i != 3:
            person.quals[DBS] = (today - timedelta(days=400 + 40 * i), today + timedelta(days=700 - 40 * i))
    people[12].quals[DBS] = (today - timedelta(days=3 * 365 - 25), today + timedelta(days=25))
    # A few people are away, two are unreliable, one is on a break and one has left.
    away = ((people[20], 9, 14, "Holiday"), (people[21], 30, 7, "Family visit"),
            (people[22], -40, 10, "Holiday"), (people[23], 2, 5, "Hospital appointment"))
    for person, offset, length, reason in away:
        person.leave.append((today + timedelta(days=offset), today + timedelta(days=offset + length - 1), reason))
    people[24].no_show_rate = people[25].no_show_rate = 0.12
    people[26].status, people[26].notes = "paused", "Taking a break over the winter."
    people[27].status, people[27].notes = "left", "Moved away from the village."
    return people


def _spec_shell() -> OrgSpec:
    return OrgSpec("tackley", "Tackley Village Shop", "Europe/London", "community_delivery_coplanned",
                   qualifications=[QualificationSpec(PO, 36), QualificationSpec(DRIVING, 12),
                                   QualificationSpec(DBS, 36, kind="check")],
                   roles=[RoleSpec("Shop counter", priority=2),
                          RoleSpec("Post Office counter", requires=PO, priority=3),
                          RoleSpec("Café"), RoleSpec("Deliveries", requires=DRIVING, priority=2)],
                   sites=["Village hall shop", "Post Office counter", "Café", "Deliveries"],
                   patterns=PATTERNS, people=[], extras=[], approver=COORDINATOR,
                   key_drivers=[CHAIR, TREASURER])


def _extras(today: date, history_start: date, villagers: list[PersonSpec]) -> list[ExtraContribution]:
    extras = [
        ExtraContribution(today - timedelta(days=40), "in_kind", "delivery", "approved", amount=Decimal("180.00"),
                          contributor_name="Tackley WI", contributor_type="community_group",
                          note="Cakes and bakes for the café's harvest week"),
        ExtraContribution(today - timedelta(days=60), "money", "commissioning", "approved", amount=Decimal("500.00"),
                          contributor_name="Tackley Parish Council", contributor_type="community_group",
                          note="Grant towards the new chiller cabinet"),
        ExtraContribution(today - timedelta(days=12), "money", "delivery", "approved", amount=Decimal("25.00"),
                          email=villagers[5].email, note="Donation in the shop's collecting tin"),
        ExtraContribution(today - timedelta(days=30), "time", "planning", "approved", hours=Decimal("3.00"),
                          email=CHAIR, note="Planning winter opening hours and the Christmas rota", at=_t("19:00")),
        ExtraContribution(today - timedelta(days=30), "time", "planning", "approved", hours=Decimal("3.00"),
                          email=TREASURER, note="Planning winter opening hours and the Christmas rota", at=_t("19:00")),
    ]
    for note, person, days, hours in (("Stock-take after closing", villagers[1], 3, "2.00"),
                                      ("Deep-cleaned the café kitchen", villagers[6], 6, "1.50"),
                                      ("Fetched stock from the cash-and-carry", villagers[14], 9, "3.00")):
        extras.append(ExtraContribution(today - timedelta(days=days), "time", "delivery", "pending",
                                        hours=Decimal(hours), email=person.email, note=note, at=_t("18:00")))
    # The shop committee meets every other Tuesday evening; the treasurer also does the monthly accounts.
    day = history_start + timedelta(days=(TUE - history_start.weekday()) % 7)
    while day < today:
        for email in (CHAIR, TREASURER, COORDINATOR):
            extras.append(ExtraContribution(day, "time", "management", "approved", hours=Decimal("2.00"),
                                            email=email, note="Shop committee meeting", at=_t("19:30")))
        day += timedelta(days=14)
    first = history_start.replace(day=1)
    while first < today:
        accounts = first + timedelta(days=(THU - first.weekday()) % 7)
        if history_start <= accounts < today:
            extras.append(ExtraContribution(accounts, "time", "management", "approved", hours=Decimal("3.00"),
                                            email=TREASURER, note="Monthly accounts and VAT return", at=_t("19:00")))
        first = (first + timedelta(days=32)).replace(day=1)
    return extras


def tackley(now: datetime, today: date, history_start: date, rng: random.Random) -> OrgSpec:
    """Return the Tackley demo, relative to ``now`` (``today`` is its local date)."""
    spec = _spec_shell()
    fixed = _fixed_people(today, now, rng)
    villagers = _villagers(today, rng, {p.email.split("@")[0] for p in fixed})
    spec.people = fixed + villagers
    spec.extras = _extras(today, history_start, villagers)
    spec.post_build.append(partial(add_announcement, author_email=COORDINATOR))  # one current announcement
    return spec
