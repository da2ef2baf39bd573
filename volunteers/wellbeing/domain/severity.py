"""Severities of load warnings, and how they compare.

``notice`` < ``warning`` < ``critical`` (DESIGN.md, "Load assessment
interface"). Compare with :func:`severity_rank` rather than by string.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Every severity, mildest first.
SEVERITIES: tuple[str, ...] = ("notice", "warning", "critical")

_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


def severity_rank(severity: str) -> int:
    """Return 0 for ``notice``, 1 for ``warning`` and 2 for ``critical``.

    :raises ValueError: for anything else.
    """
    try:
        return _RANK[severity]
    except KeyError:
        raise ValueError(f"unknown severity {severity!r}; expected one of {', '.join(SEVERITIES)}") from None


def is_at_least(severity: str | None, minimum: str) -> bool:
    """Return whether ``severity`` is ``minimum`` or worse; ``None`` (no warning) never is."""
    return severity is not None and severity_rank(severity) >= severity_rank(minimum)


def max_severity(severities: Iterable[str | None]) -> str | None:
    """Return the worst of ``severities`` (``None`` entries ignored), or ``None`` if there is none."""
    worst: str | None = None
    for severity in severities:
        if severity is not None and (worst is None or severity_rank(severity) > severity_rank(worst)):
            worst = severity
    return worst
