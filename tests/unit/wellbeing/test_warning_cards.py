"""A person's warnings under one rule make one card: the episode to act on first, the others folded."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from volunteers.wellbeing.scan import REPORT_DAYS
from volunteers.wellbeing.warning_cards import kept_rule_cards, rule_card, rule_cards

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)


def _view(n: int, rule: str, days_from_now: int, length: int = 4, severity: str = "warning") -> Any:
    start = NOW + timedelta(days=days_from_now)
    row = SimpleNamespace(id=n, rule=rule, severity=severity, episode_start=start,
                          episode_end=start + timedelta(days=length), window_start=start,
                          window_end=start + timedelta(days=1))
    return SimpleNamespace(row=row, rule_name=rule)


def test_the_episode_going_on_now_leads_with_earlier_and_planned_ones_folded() -> None:
    weekly = [_view(k, "consecutive_nights", 7 * k - 30) for k in range(9)]  # -30, -23, … +26 days
    card = rule_card(weekly, NOW)
    assert card.lead.row.id == 4 and card.lead_is == "now"  # started 2 days ago, runs 4 days
    assert [v.row.id for v in card.earlier] == [3, 2, 1, 0]  # latest first
    assert [v.row.id for v in card.later] == [5, 6, 7, 8]  # soonest first
    assert card.episodes == 9


def test_without_an_ongoing_episode_the_latest_begun_leads_else_the_next_planned() -> None:
    card = rule_card([_view(1, "short_rest", -20, 1), _view(2, "short_rest", -9, 1), _view(3, "short_rest", 5, 1)],
                     NOW)
    assert (card.lead.row.id, card.lead_is) == (2, "latest")
    planned = rule_card([_view(4, "load_spike", 12), _view(5, "load_spike", 3)], NOW)
    assert (planned.lead.row.id, planned.lead_is, [v.row.id for v in planned.later]) == (5, "next", [4])


def test_one_card_per_rule_the_most_severe_lead_first_and_the_worst_of_all_episodes_kept() -> None:
    views = [_view(1, "weekly_load", -2), _view(2, "consecutive_nights", -2),
             _view(3, "consecutive_nights", -30, severity="critical"), _view(4, "over_pledge", -1, 30, "critical")]
    cards = rule_cards(views, NOW)
    assert [c.rule for c in cards] == ["over_pledge", "weekly_load", "consecutive_nights"]
    nights = cards[-1]
    assert nights.lead.row.id == 2 and nights.worst == "critical"


def test_episodes_that_ended_more_than_four_weeks_ago_are_history_not_cards() -> None:
    cards = rule_cards([_view(1, "short_rest", -40, 1), _view(2, "short_rest", -20, 1), _view(3, "long_duty", -35, 1)],
                       NOW)
    assert [(c.rule, c.lead.row.id, len(c.earlier)) for c in cards] == [("short_rest", 2, 0)]


def _shape(cards: list[Any]) -> list[tuple[Any, ...]]:
    return [(c.lead.row.id, c.lead_is, [v.row.id for v in c.earlier], [v.row.id for v in c.later]) for c in cards]


def test_kept_cards_are_the_cards_made_afresh_at_every_instant_around_their_flips() -> None:
    """Same answers (issue 13): kept cards are remade when ``now`` passes a start, an end or the end of the
    four reported weeks; walked here over each such instant, a microsecond either side, and between."""
    views = [_view(1, "consecutive_nights", -30), _view(2, "consecutive_nights", -2), _view(3, "consecutive_nights", 5),
             _view(4, "short_rest", -9, 1, "critical"), _view(5, "short_rest", 3, 1), _view(6, "load_spike", -29, 1)]
    flips = sorted({t for v in views for t in (v.row.episode_start, v.row.episode_end,
                                                v.row.episode_end + REPORT_DAYS)})
    tiny = timedelta(microseconds=1)
    nows = [t + d for t in flips for d in (-tiny, timedelta(0), tiny, timedelta(hours=5))]
    for now in nows + nows[::-1] + nows[::3]:
        assert _shape(kept_rule_cards(views, now)) == _shape(rule_cards(views, now)), now


def test_cards_kept_of_views_that_were_dropped_go_with_them(monkeypatch) -> None:
    """Kept by the views' identity, a person's cards can never be found again once the kept views start again
    (new view objects): they are dropped then, not held until the cards' own limit."""
    from volunteers.wellbeing import queries, warning_cards

    views = [_view(1, "short_rest", -2, 1), _view(2, "load_spike", 3, 1)]
    kept_rule_cards(views, NOW)
    assert warning_cards._CARDS
    monkeypatch.setattr(queries, "_views_started", queries.views_generation() + 1)
    other = [_view(3, "short_rest", -4, 1)]
    assert _shape(kept_rule_cards(other, NOW)) == _shape(rule_cards(other, NOW))
    assert len(warning_cards._CARDS) == 1  # only the cards of the views kept now
