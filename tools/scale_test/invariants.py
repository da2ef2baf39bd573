"""What must hold after the scale test, read straight from the database (and the mail sink's file).

* no shift has more people on it than it needs (overbooked);
* every shift's ``filled`` equals its live places;
* every sign-up or assignment the app confirmed (a redirect to "done") exists:
  as a place (live, or cancelled later by its volunteer) or as a request to
  the coordinator (a sign-up that would overload someone is asked first);
* every run-once job key ran once, and every outbox message was delivered once.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

LIVE = "('assigned', 'confirmed', 'attended', 'no_show')"


@dataclass(frozen=True)
class Findings:
    overbooked: int
    filled_wrong: int
    confirmed_sign_ups: int
    lost_sign_ups: int
    duplicate_job_keys: int
    duplicate_deliveries: int
    delivered: int

    @property
    def duplicate_jobs(self) -> int:
        return self.duplicate_job_keys + self.duplicate_deliveries


def check(database_url: str, sign_ups: Path, message_ids: Path) -> Findings:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            live = conn.execute(text(
                f"SELECT s.id, s.needed, s.filled, count(a.id) FROM shifts s LEFT JOIN assignments a "
                f"ON a.organisation_id = s.organisation_id AND a.shift_id = s.id AND a.status IN {LIVE} "
                f"GROUP BY s.id, s.needed, s.filled")).all()
            places = {(m, s) for m, s in conn.execute(text("SELECT membership_id, shift_id FROM assignments"))}
            asked = {(m, s) for m, s in conn.execute(text(
                "SELECT coalesce(taken_by_membership_id, offered_to_membership_id), shift_id FROM shift_offers "
                "WHERE kind = 'signup_request'"))}
            duplicate_keys = conn.scalar(text(
                "SELECT count(*) FROM (SELECT job, key FROM job_runs GROUP BY job, key HAVING count(*) > 1) d")) or 0
    finally:
        engine.dispose()
    confirmed = [json.loads(line) for line in sign_ups.read_text(encoding="utf-8").splitlines() if line.strip()] \
        if sign_ups.exists() else []
    lost = [c for c in confirmed if (c["membership_id"], c["shift_id"]) not in places | asked]
    delivered = Counter(message_ids.read_text(encoding="utf-8").split()) if message_ids.exists() else Counter()
    return Findings(
        overbooked=sum(1 for _, needed, _, count in live if count > needed),
        filled_wrong=sum(1 for _, _, filled, count in live if filled != count),
        confirmed_sign_ups=len(confirmed),
        lost_sign_ups=len(lost),
        duplicate_job_keys=int(duplicate_keys),
        duplicate_deliveries=sum(n - 1 for n in delivered.values() if n > 1),
        delivered=sum(delivered.values()),
    )
