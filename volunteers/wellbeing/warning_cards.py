"""Group a person's warnings into cards a coordinator can act on: one per rule, the current episode first.

The scan keeps one row per person, rule and *episode*, so a volunteer on
a weekly pattern of night runs carries a row for every run, past and
planned. Shown one after another, fourteen "nights in a row" cards bury
the one that matters. Here each rule becomes one card that leads with the
episode a coordinator can still act on — the one going on now, else the
latest that has begun, else (all of them planned) the next — at its worst
window, and folds the others underneath, counted: earlier ones, and later
ones on the planned rota. Nothing about the judgement changes: the rows,
their severities and windows are the scan's.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from volunteers.wellbeing import RULES, severity_rank
from volunteers.wellbeing.queries import WarningView, views_generation
from volunteers.wellbeing.scan import REPORT_DAYS


@dataclass
class RuleCard:
    """One rule's warnings for one person: the episode to act on, and the others folded."""

    lead: WarningView
    #: episodes that ended before the lead began, latest first
    earlier: list[WarningView] = field(default_factory=list)
    #: episodes after the lead (on the planned rota), soonest first
    later: list[WarningView] = field(default_factory=list)
    #: which episode leads: ``now`` (going on), ``latest`` (ended) or ``next`` (all still planned)
    lead_is: str = "now"

    @property
    def rule(self) -> str:
        return self.lead.row.rule

    @property
    def episodes(self) -> int:
        return 1 + len(self.earlier) + len(self.later)

    @property
    def worst(self) -> str:
        """The worst severity among all the card's episodes."""
        return max((v.row.severity for v in (self.lead, *self.earlier, *self.later)), key=severity_rank)


def _start(view: WarningView) -> datetime:
    return view.row.episode_start or view.row.window_start


def _end(view: WarningView) -> datetime:
    return view.row.episode_end or view.row.window_end


def rule_card(views: Iterable[WarningView], now: datetime) -> RuleCard:
    """Return the card of one person's warnings under one rule (at least one)."""
    ordered = sorted(views, key=lambda v: (_start(v).timestamp(), v.row.id))
    begun = [v for v in ordered if _start(v) <= now]
    ongoing = [v for v in begun if _end(v) > now]
    if ongoing:  # the worst of what is going on now (overlapping episodes of a rule's two kinds)
        lead, lead_is = max(ongoing, key=lambda v: (severity_rank(v.row.severity), _start(v).timestamp())), "now"
    else:
        lead, lead_is = (begun[-1], "latest") if begun else (ordered[0], "next")
    others = [v for v in ordered if v is not lead]
    earlier = [v for v in others if _start(v) <= _start(lead)]
    later = [v for v in others if _start(v) > _start(lead)]
    return RuleCard(lead, earlier[::-1], later, lead_is)


def rule_cards(views: Iterable[WarningView], now: datetime) -> list[RuleCard]:
    """Return one card per rule, the most severe lead first, then in the order of DESIGN's table.

    Episodes that ended more than :data:`~.scan.REPORT_DAYS` ago are history (/warnings/history),
    even before the night's scan resolves them as ``ended``.
    """
    order = {rule: k for k, rule in enumerate(RULES)}
    by_rule: dict[str, list[WarningView]] = defaultdict(list)
    for view in views:
        if _end(view) >= now - REPORT_DAYS:
            by_rule[view.row.rule].append(view)
    cards = [rule_card(group, now) for group in by_rule.values()]
    return sorted(cards, key=lambda c: (-severity_rank(c.lead.row.severity), order.get(c.rule, 99)))


def card_flips(views: Iterable[WarningView]) -> set[float]:
    """The instants (POSIX seconds) at which a comparison :func:`rule_cards` makes with ``now`` changes: each
    episode's start, end and the end of its four reported weeks."""
    return {t for v in views for t in (_start(v).timestamp(), _end(v).timestamp(),
                                       (_end(v) + REPORT_DAYS).timestamp())}


#: a person's cards by the views they were made of (kept views, by identity: the entry holds them, so no id is
#: reused while it is kept), with the instants between which ``now`` leaves every comparison of
#: :func:`rule_cards` as it was; dropped together past this many
CARDS_AT_MOST = 512
_CARDS: dict[tuple[int, ...], tuple[tuple[WarningView, ...], float, float, list[RuleCard]]] = {}
#: the views_generation the kept cards were made of
_cards_of = 0


def kept_rule_cards(views: list[WarningView], now: datetime) -> list[RuleCard]:
    """:func:`rule_cards`, made again only when ``now`` passes an episode's start or end, or the end of its
    four reported weeks (a tenth of /warnings' time was sorting the same views into the same cards)."""
    global _cards_of
    if _cards_of != views_generation():  # the views they were kept for are gone: no key of theirs comes again
        _CARDS.clear()
        _cards_of = views_generation()
    key = tuple(map(id, views))
    at = now.timestamp()
    kept = _CARDS.get(key)
    if kept is not None and kept[1] < at < kept[2]:
        return kept[3]
    cards = rule_cards(views, now)
    flips = card_flips(views)
    if at not in flips:  # at an instant a comparison flips, the cards hold for that instant only
        if len(_CARDS) >= CARDS_AT_MOST:
            _CARDS.clear()
        _CARDS[key] = (tuple(views), max((t for t in flips if t < at), default=float("-inf")),
                       min((t for t in flips if t > at), default=float("inf")), cards)
    return cards
