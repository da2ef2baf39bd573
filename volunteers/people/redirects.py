"""The one check for a redirect target that came with the request (``?next=``).

Only a path on this site passes. A browser strips tabs and newlines from a
``Location`` before reading it, so ``/\t/evil.example`` is ``//evil.example``,
another host; it also reads ``\\`` as ``/``. So a target passes only if it
is a plain path: it starts with a single ``/``, has no scheme or host when
parsed, and holds no backslash, whitespace or control (or other invisible)
character at all — such a target is refused rather than cleaned up.
"""
from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit


def _invisible(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch).startswith("C")


def safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a same-site path to follow, else None."""
    if not target or any(_invisible(ch) for ch in target) or "\\" in target:
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    return target
