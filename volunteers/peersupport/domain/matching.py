"""Who should support a mother: counsellors ranked for one case (pure).

The coordinator reassigning a case, or handing over a counsellor's cases,
sees the active members ranked by, in this order:

1. a shared language (the mother's preferred language among the counsellor's),
2. the same area (the mother's area among the areas the counsellor covers),
3. room in the caseload: a counsellor at or over her ``caseload_limit`` goes
   below everyone with room (the ``caseload`` load rule would warn),
4. continuity: a counsellor who has already met the mother (her contacts),
5. the lighter caseload (open cases ÷ limit; with no limit set, the open cases
   themselves, so an unknown capacity ranks after a known one with room),
6. then by name, so the order is stable.

Shared language and area come before load: a visit in a language the
mother does not speak well is no visit at all. Each suggestion carries its
reasons in words, so the coordinator sees *why*.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction


def _norm(value: str | None) -> str:
    return " ".join((value or "").split()).casefold()


@dataclass(frozen=True)
class Counsellor:
    """What the ranking needs of a member who could support the case."""

    membership_id: int
    name: str
    languages: frozenset[str]
    areas: frozenset[str]
    open_cases: int
    caseload_limit: int | None
    #: contacts she has made with this mother (continuity)
    contacts_with_case: int = 0

    @property
    def full(self) -> bool:
        return self.caseload_limit is not None and self.open_cases >= self.caseload_limit

    @property
    def load(self) -> Fraction:
        """Open cases ÷ limit; with no limit (or 0) the open cases themselves, so she ranks after those with room."""
        if self.caseload_limit:
            return Fraction(self.open_cases, self.caseload_limit)
        return Fraction(self.open_cases)


@dataclass(frozen=True)
class Suggestion:
    counsellor: Counsellor
    shares_language: bool
    same_area: bool
    reasons: tuple[str, ...]


def _reasons(c: Counsellor, language: str | None, area: str | None, shares: bool, same: bool) -> tuple[str, ...]:
    said: list[str] = []
    if shares and language:
        said.append(f"speaks {language.strip()}")
    if same and area:
        said.append(f"covers {area.strip()}")
    if c.contacts_with_case:
        said.append(f"has met her ({c.contacts_with_case} contact{'s' if c.contacts_with_case != 1 else ''})")
    if c.caseload_limit is None:
        said.append(f"{c.open_cases} open case{'s' if c.open_cases != 1 else ''}, no limit set")
    else:
        said.append(f"{c.open_cases} of {c.caseload_limit} cases" + (" — at her limit" if c.full else ""))
    return tuple(said)


def rank(counsellors: Iterable[Counsellor], *, language: str | None, area: str | None,
         exclude: int | None = None) -> list[Suggestion]:
    """Return the counsellors best first for a mother speaking ``language`` in ``area`` (``exclude``: her
    current supporter, who is not a suggestion for a reassignment)."""
    lang, place = _norm(language), _norm(area)
    suggestions: list[tuple[tuple[object, ...], Suggestion]] = []
    for c in counsellors:
        if c.membership_id == exclude:
            continue
        shares = bool(lang) and lang in {_norm(x) for x in c.languages}
        same = bool(place) and place in {_norm(x) for x in c.areas}
        key = (not shares, not same, c.full, -c.contacts_with_case, c.load, _norm(c.name), c.membership_id)
        suggestions.append((key, Suggestion(c, shares, same, _reasons(c, language, area, shares, same))))
    suggestions.sort(key=lambda pair: pair[0])
    return [s for _, s in suggestions]
