"""Every URL rule of ``volunteers.mail``: the SMS providers' delivery receipts (mail.sms_receipts)."""
from __future__ import annotations

from volunteers.mail.sms_receipts import sms_hooks

BLUEPRINTS = (sms_hooks,)
