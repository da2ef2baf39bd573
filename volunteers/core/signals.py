"""The named signals by which a lower package announces a change and a higher one reacts.

Arrows between packages point one way (``docs/DESIGN.md``, "Where things
are"). When something lower down changes what a higher package must judge
again — rota takes a place, so wellbeing must re-judge that person's load —
the lower package *sends* one of these and the higher one *connects* to it.
``volunteers.app.register_reactions`` is the one list of who listens to what.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: These members' schedules changed in this unit of work. Sender: the
#: database session; keywords ``organisation_id`` and ``membership_ids``.
#: Sent by whoever changes places with bulk UPDATEs (``rota.places``,
#: swaps, attendance), and by ``rota.changes`` for changes made through
#: the ORM (shift times, a role's intensity, a member's pledge …).
schedule_changed = _signals.signal("schedule-changed")

#: An organisation's load policy or time zone changed: everyone's load is
#: judged again. Sender: the session; keyword ``organisation_id``.
load_policy_changed = _signals.signal("load-policy-changed")

#: A place was reported attended outside the attendance page (the shifts
#: import's ``attended`` rows). Sender: the organisation; keywords
#: ``assignment``, ``now``, ``actor_person_id``. The contributions ledger
#: records the attendance (an approved time entry); a receiver that refuses
#: raises ``core.errors.ServiceError``, which reaches the sender.
place_attended = _signals.signal("place-attended")

#: A place was released by a bulk UPDATE (``rota.places.release_place``), which
#: the ORM's flush does not see. Sender: the session; keywords ``assignment``
#: (refreshed afterwards), ``organisation_id`` and ``now`` (the unit of work's
#: time: the waiting list offers the place at it). The API's webhooks queue
#: ``assignment.removed``.
place_released = _signals.signal("place-released")

#: A shift was cancelled by a bulk UPDATE (``rota.services.cancel_shift``).
#: Sender: the session; keywords ``shift`` and ``organisation_id``. The API's
#: webhooks queue ``shift.cancelled``.
shift_cancelled = _signals.signal("shift-cancelled")

#: The load scan raised warnings (new, or a resolved one reopened) or made
#: open ones worse (a higher severity). Sender: the session; keywords
#: ``organisation_id``, ``raised`` and ``worsened`` (lists of
#: ``(membership_id, rule, episode_key)``) and ``now``. Sent only when a list is
#: not empty. The API's webhooks queue ``warning.raised`` / ``warning.worsened``.
warnings_changed = _signals.signal("warnings-changed")

#: A monthly report was issued (frozen). Sender: the session; keywords
#: ``organisation_id``, ``report`` and ``now``. The API's webhooks queue ``report.issued``.
report_issued = _signals.signal("report-issued")
