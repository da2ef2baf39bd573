"""A volunteer finds their statement in their own menu, and it opens on the last complete month."""
from __future__ import annotations

from tests.integration.reports import dataset


def test_the_statement_is_linked_for_volunteers_and_opens_on_last_month(client, auth, db, ledger, clock) -> None:
    dataset.build(ledger)
    db.session.commit()
    auth.login("ann@tackley.example")
    for page in ("/me/shifts", "/me/hours", "/me/availability"):
        assert 'href="/me/statement"' in client.get(page).get_data(as_text=True), page
    statement = client.get("/me/statement").get_data(as_text=True)
    # the clock says 30 November 2026: the last complete month is October, where Ann's hours are
    assert 'value="2026-10"' in statement and "October 2026" in statement
    assert "<strong>0</strong> hours" not in statement and 'aria-current="page">My statement' in statement
