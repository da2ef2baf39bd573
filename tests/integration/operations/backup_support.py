"""What the backup tests share: a small populated database, a writer thread, and the figures to compare."""
from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Engine, func, insert, select, text

from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on
from volunteers.contributions.models import Contribution
from volunteers.extensions import db

#: each write adds two ledger entries in one transaction: 2.00 + 1.00 hours
BATCH_HOURS = Decimal("3.00")


def populate() -> int:
    """Two organisations with people, a shift with a place taken and ledger entries; return Tackley's id."""
    orgs = [make_org("tackley", "Tackley Village Shop"), make_org("surestart", "Sure Start Gateshead")]
    for org in orgs:
        members = [make_member(org, f"{n}@{org.slug}.example") for n in ("ann", "bob", "cat")]
        shift = make_shift(org, make_role(org), make_site(org), date(2026, 11, 30))
        put_on(shift, members[0])
        for member in members:
            db.session.add(Contribution(organisation_id=org.id, membership_id=member.id, hours=Decimal("4.25"),
                                        status="approved", decided_at=datetime(2026, 11, 30, tzinfo=UTC),
                                        occurred_at=datetime(2026, 11, 30, 9, tzinfo=UTC),
                                        occurred_on=date(2026, 11, 30)))
    db.session.commit()
    return orgs[0].id


def figures(engine: Engine, table_names: list[str]) -> tuple[dict[str, int], Decimal]:
    """Row counts of every table and the ledger's total hours, read straight from ``engine``."""
    with engine.connect() as conn:
        counts = {name: conn.scalar(text(f"SELECT count(*) FROM {name}")) or 0 for name in table_names}
        total = conn.scalar(select(func.coalesce(func.sum(Contribution.hours), 0)))
    return counts, Decimal(str(total)).quantize(Decimal("0.01"))


class LedgerWriter(threading.Thread):
    """Write batches of ledger entries as fast as it can until stopped: the 'during writes' of the test."""

    def __init__(self, engine: Engine, organisation_id: int) -> None:
        super().__init__(daemon=True)
        self.engine, self.organisation_id = engine, organisation_id
        self.batches = 0
        self.error: BaseException | None = None
        self.stop = threading.Event()
        self.started_writing = threading.Event()

    def run(self) -> None:
        row = {"organisation_id": self.organisation_id, "contributor_name": "Backup test group",
               "contributor_type": "community_group", "kind": "time", "stage": "delivery", "amount": 0,
               "status": "pending", "occurred_at": datetime(2026, 11, 30, 9, tzinfo=UTC),
               "occurred_on": date(2026, 11, 30), "recorded_at": datetime(2026, 11, 30, 9, tzinfo=UTC)}
        try:
            while not self.stop.is_set():
                with self.engine.begin() as conn:
                    conn.execute(insert(Contribution), [{**row, "hours": Decimal("2.00")},
                                                        {**row, "hours": Decimal("1.00")}])
                self.batches += 1
                self.started_writing.set()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            self.error = error
            self.started_writing.set()
