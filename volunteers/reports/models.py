"""Issued monthly reports: frozen figures and their hash."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from volunteers.core.models import Base, _now


class MonthlyReport(Base):
    """The figures of one organisation-month as issued; re-rendered from these forever."""

    __tablename__ = "monthly_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    #: ``YYYY-MM`` in the organisation's time zone
    month: Mapped[str] = mapped_column(String(7))
    #: canonical JSON of the figures (sorted keys), exactly as issued
    figures_json: Mapped[str] = mapped_column(Text)
    #: sha256 of figures_json
    figures_hash: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(default=_now)
    issued_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    #: when the job e-mailed it to the report recipients
    sent_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("organisation_id", "month"), UniqueConstraint("organisation_id", "id"))
