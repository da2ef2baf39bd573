"""Who may see a supported person's record (pure): special-category (health) data.

Only the organisation's coordinators and admins, and the person's own
supporter — each while their membership is active: a paused membership
(someone on a break, or stood down pending a concern) opens no record.
Everyone else is answered as if the record did not exist (404), and a
volunteer registering a mother never gives the reference (the service makes
one), so she cannot learn from a refusal that a reference is in use.
"""
from __future__ import annotations


def may_use_records(*, membership_status: str) -> bool:
    """Whether the membership opens any record at all (pages, lists, registering): only an active one."""
    return membership_status == "active"


def may_see(*, is_coordinator: bool, membership_id: int, supporter_membership_id: int | None,
            membership_status: str) -> bool:
    """Whether the member may read (and log contacts on) the case."""
    if not may_use_records(membership_status=membership_status):
        return False
    return is_coordinator or (supporter_membership_id is not None and supporter_membership_id == membership_id)
