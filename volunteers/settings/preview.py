"""What a proposed load policy would do to the open warnings, found by running the real scan and undoing it.

A guess from thresholds alone would miss how rules interact (episodes
merge, a rule switched off resolves rows, a stricter level makes a warning
critical). So the preview runs the very scan that saving runs at the
commit (:func:`volunteers.wellbeing.services.scan` with the proposed
policy, everyone judged) inside a SAVEPOINT, reads what it did, and rolls
the savepoint back: nothing it wrote survives, and the page can say how
many warnings saving would raise, worsen and resolve.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func

from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.extensions import db
from volunteers.wellbeing import Policy
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.services import scan


@dataclass(frozen=True)
class Preview:
    """Open warnings now and after saving, and what the change would raise, worsen and resolve."""

    open_now: int
    open_after: int
    raised: int
    worse: int
    resolved: int

    @property
    def changes(self) -> bool:
        return bool(self.raised or self.worse or self.resolved)


def open_count(org: Organisation) -> int:
    """Return how many of the organisation's warnings are not resolved (open or acknowledged)."""
    return db.session.scalar(scoped(LoadWarning, org, func.count(LoadWarning.id))
                             .where(LoadWarning.status != "resolved")) or 0


def preview(org: Organisation, policy: Policy, now: datetime) -> Preview:
    """Return what judging everyone under ``policy`` at ``now`` would change; nothing is kept."""
    before = open_count(org)
    savepoint = db.session.begin_nested()  # flushes what is pending first
    try:
        result = scan(org, now, policy=policy)
    finally:
        savepoint.rollback()
        db.session.expire_all()  # bulk writes inside the savepoint left no trace on loaded objects either
    return Preview(open_now=before, open_after=result.open, raised=result.new, worse=result.worse,
                   resolved=result.resolved)
