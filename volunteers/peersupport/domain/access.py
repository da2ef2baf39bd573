"""Who may see a supported person's record (pure): special-category (health) data.

Only the organisation's coordinators and admins, and the person's own
supporter. Everyone else is answered as if the record did not exist (404),
so a volunteer cannot even learn that a reference is in use.
"""
from __future__ import annotations


def may_see(*, is_coordinator: bool, membership_id: int, supporter_membership_id: int | None) -> bool:
    """Whether the member may read (and log contacts on) the case."""
    return is_coordinator or (supporter_membership_id is not None and supporter_membership_id == membership_id)
