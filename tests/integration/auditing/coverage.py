"""Which POST endpoints an audit test drives through the web and checks the entry of.

A test marked ``@audits("people.new_person", …)`` posts to those endpoints as
a coordinator or admin and asserts the audit entry each leaves.
``test_every_write_is_audited`` fails for a POST endpoint that is neither
marked nor in its commented allow-list, so a new write without an audit
entry cannot pass CI unnoticed.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])

#: endpoint → the test functions that cover it
COVERED: dict[str, list[str]] = {}


def audits(*endpoints: str) -> Callable[[F], F]:
    def mark(test: F) -> F:
        for endpoint in endpoints:
            COVERED.setdefault(endpoint, []).append(getattr(test, "__name__", repr(test)))
        return test
    return mark
