"""The four digits a cover request by text asks to be sent back ("Reply YES 4821").

The code is an HMAC of the offer and the member, keyed by the app's
secret: nothing to store, different for every person asked, and not
guessable from another person's code. Four digits are enough because a
reply is only ever matched against the few requests sent to that number.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app


def reply_code(offer_id: int, membership_id: int, *, purpose: str = "cover-reply") -> str:
    """The code ``membership_id`` sends back to take the place of offer ``offer_id``.

    ``purpose`` keeps the codes of different kinds of offer apart (a waiting-list
    offer's id may equal a cover request's).
    """
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, f"{purpose}:{offer_id}:{membership_id}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:4], 'big') % 10_000:04d}"
