"""The month board names a shift's people on leave in the week board's order (issue 13).

On SQLite the month's cards statement leaves out the sort by holder (the
index gives the shifts' order) and ``board_month._cards`` puts a shift's few
holders on leave in order itself: by name, then membership, then the leave's
start, as the week board's statement (``queries.board``) sorts them.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from tests.factories import make_member, make_shift, put_on
from volunteers.people.models import Leave

MONDAY = date(2026, 12, 21)


def test_a_month_card_lists_those_away_as_the_week_board_does(client, auth, rota, db, clock) -> None:
    clock.now = clock.now.replace(day=1)
    tuesday = make_shift(rota.org, rota.role, rota.site, MONDAY + timedelta(days=1), needed=6)
    # made out of name order, so neither the ids nor the rows' order give the names' order
    people = [make_member(rota.org, f"{slug}@example.org", name=name)
              for slug, name in (("zoe", "Zoe Young"), ("bea", "Bea Carter"), ("al", "al lowercase"),
                                 ("bea2", "Bea Carter"))]
    for member in [*people, rota.ann]:
        put_on(tuesday, member)
        db.session.add(Leave(organisation_id=rota.org.id, membership_id=member.id, starts_on=MONDAY,
                             ends_on=MONDAY + timedelta(days=3), reason="Away"))
    # a second span for Zoe, starting earlier: the earlier one is the one that touches first
    db.session.add(Leave(organisation_id=rota.org.id, membership_id=people[0].id, starts_on=MONDAY - timedelta(days=2),
                         ends_on=MONDAY + timedelta(days=1), reason="Earlier"))
    db.session.commit()
    auth.login("coordinator@tackley.example")

    def away(url: str) -> list[str]:
        page = client.get(url).get_data(as_text=True)
        card = page[page.index(f'id="shift-{tuesday.id}"'):]
        card = card[:card.index("</a>")]
        return re.findall(r'<span class="badge warn away">([^<]*)</span>', card)

    month = away("/rota?view=month&month=2026-12")
    assert len(month) == 5
    assert month == away(f"/rota?week={MONDAY.isoformat()}")
    assert [sentence.split(" is away")[0] for sentence in month] == sorted(
        sentence.split(" is away")[0] for sentence in month)
