"""Fixtures for the load-warning tests: a helpline organisation, and places in local time."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on, utc
from volunteers.core.models import Organisation
from volunteers.people.models import Membership
from volunteers.rota.models import Assignment, Role, Shift, Site

#: a Monday at noon, London time (GMT)
NOW = utc(2026, 11, 30, 12)
MONDAY = date(2026, 11, 30)


class Helpline:
    """An organisation with a shop role and a helpline-on-call role, and helpers to place people."""

    def __init__(self, org: Organisation, shop: Role, on_call: Role, ward: Role, site: Site) -> None:
        self.org, self.shop, self.on_call, self.ward, self.site = org, shop, on_call, ward, site

    def shift(self, day: date, start: str, end: str, role: Role | None = None, needed: int = 2) -> Shift:
        return make_shift(self.org, role or self.shop, self.site, day, time.fromisoformat(start),
                          time.fromisoformat(end), needed=needed)

    def place(self, member: Membership, day: date, start: str, end: str, role: Role | None = None,
              status: str = "assigned") -> Assignment:
        return put_on(self.shift(day, start, end, role), member, status=status)

    def weekly(self, member: Membership, first: date, weeks: int, start: str, end: str,
               role: Role | None = None, status: str | None = None) -> list[Assignment]:
        places = []
        for k in range(weeks):
            day = first + timedelta(weeks=k)
            places.append(self.place(member, day, start, end, role,
                                     status or ("attended" if day < NOW.date() else "assigned")))
        return places

    def nights(self, member: Membership, first: date, count: int, status: str = "assigned") -> list[Assignment]:
        return [self.place(member, first + timedelta(days=k), "23:00", "07:00", self.on_call, status)
                for k in range(count)]


@pytest.fixture()
def helpline(db) -> Helpline:
    org = make_org("surestart", "Sure Start")
    site = make_site(org, "Helpline (remote)")
    shop = make_role(org, "Shop counter")
    on_call = make_role(org, "Helpline on call", intensity=Decimal("1.5"), on_call=True)
    ward = make_role(org, "Hospital ward visit", intensity=Decimal("1.5"))
    return Helpline(org, shop, on_call, ward, site)


@pytest.fixture()
def member(helpline: Helpline) -> Callable[..., Membership]:
    def make(email: str, pledge: float | None = 4, role: str = "volunteer") -> Membership:
        return make_member(helpline.org, email, role=role, pledge=pledge)
    return make


def commit_behind_the_scan(db) -> None:
    """Commit without the re-scan at commit, as a change made straight in the database would be.

    Only the nightly scan (a full one) or ``flask load scan`` then sees it.
    """
    db.session.flush()
    db.session.info.pop("volunteers.rescan", None)
    db.session.info.pop("volunteers.rescan.everyone", None)
    db.session.commit()
