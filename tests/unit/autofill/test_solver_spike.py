"""load_spike as linear constraints: sound against the canonical rule, and not needlessly tight."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from volunteers.autofill.domain import fill
from volunteers.autofill.domain.load import Limits, shift_facts
from volunteers.autofill.domain.tally import Ledger
from volunteers.rota.domain.eligibility import Candidate, OpenShift
from volunteers.wellbeing import ShiftSpan, VolunteerSchedule, evaluate_volunteer, is_at_least

LONDON = ZoneInfo("Europe/London")
START = date(2026, 9, 1)


def _span(day: date, hours: float) -> ShiftSpan:
    start = datetime(day.year, day.month, day.day, 9, tzinfo=LONDON)
    return ShiftSpan(start, start + timedelta(hours=hours), "Shop counter")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([0, 0, 0, 1, 2, 3, 4, 6]), min_size=49, max_size=63))
def test_every_canonical_spike_window_is_one_the_linear_rule_forbids(hours: list[int]) -> None:
    """Soundness: where the canonical rule warns, none of G, L and R holds."""
    spans = [_span(START + timedelta(days=i), h) for i, h in enumerate(hours) if h]
    if not spans:
        return
    as_of = datetime(2026, 8, 1, tzinfo=LONDON)  # everything planned
    schedule = VolunteerSchedule("v", None, tuple(spans))
    warned = [w for w in evaluate_volunteer(schedule, as_of, LONDON, rules=["load_spike"])
              if is_at_least(w.severity, "warning")]
    loads = [shift_facts(s.start, s.end, tz=LONDON) for s in spans]
    first = min(load.day for load in loads)
    ledger = Ledger(Limits(), None, loads, first, (first, max(load.day for load in loads)))
    flagged = ledger._spike(first + 35, max(load.day for load in loads) + 6, ledger.daily)
    for warning in warned:
        last_day = (warning.window_end.astimezone(LONDON) - timedelta(seconds=1)).date().toordinal()
        assert flagged[last_day - first - 35], warning.message


def test_fill_ramps_up_over_the_month_without_a_spike() -> None:
    # Ann worked 4 h a week for five weeks; November offers a 4 h shift every day.
    history = {"ann": [_span(date(2026, 9, 28) + timedelta(days=7 * k), 4) for k in range(5)]}
    shifts = [OpenShift(f"s{d:02}", datetime(2026, 11, d, 9, tzinfo=LONDON),
                        datetime(2026, 11, d, 13, tzinfo=LONDON), "Shop counter", "Hall")
              for d in range(1, 31)]
    ann = Candidate("ann", "Ann")
    proposal = fill(shifts, [ann], tz=LONDON, history=history, as_of=datetime(2026, 10, 31, tzinfo=LONDON),
                    time_limit_s=4.0)
    mine = sorted(a.shift_id for a in proposal.assignments)
    spans = history["ann"] + [_span(date(2026, 11, int(sid[1:])), 4) for sid in mine]
    schedule = VolunteerSchedule("ann", None, tuple(spans))
    warnings = [w for w in evaluate_volunteer(schedule, datetime(2026, 10, 31, tzinfo=LONDON), LONDON)
                if is_at_least(w.severity, "warning")]
    assert not warnings, [w.message for w in warnings]
    first_week = [sid for sid in mine if int(sid[1:]) <= 7]
    last_week = [sid for sid in mine if int(sid[1:]) >= 24]
    # 8 h in the first week (chronic 4 h); the chronic weeks grow inside the month, so later more.
    assert len(first_week) == 2 and len(last_week) == 3
    assert proposal.status == "optimal"
