"""A kind, private note for a volunteer about their own load, for /me/shifts.

Volunteers are not shown rule codes or severities: they see one sentence
that thanks them and makes saying no easy, when their week is well beyond
their pledge or the rules find something serious in their near schedule.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from volunteers.core.models import Organisation
from volunteers.core.timeutil import format_hours, local_date, week_bounds
from volunteers.people.models import Membership
from volunteers.wellbeing import (
    LoadWarning,
    evaluate_volunteer,
    is_at_least,
    severity_rank,
)
from volunteers.wellbeing.domain import messages as say
from volunteers.wellbeing.schedules import org_zone, policy_for, schedules_for

#: rules judged over the recent past and the coming fortnight
NEAR = timedelta(days=14)
HISTORY = timedelta(days=35 + 28)

THANKS = "thank you; it's fine to say no."
#: rules whose value is a number of consecutive dates
RUNS = ("consecutive_nights", "consecutive_days", "early_starts")


def _gentle(warning: LoadWarning) -> str | None:
    """Return the volunteer-facing sentence for a serious warning, or None for rules we do not mention."""
    value = warning.value
    first = warning.window_start.date()
    count = warning.episode_key.startswith("count:")  # consecutive_nights' "more than 4 in 28 days"
    # a run of dates: its window ends when the last duty does, maybe the next day
    if warning.rule in RUNS and not count:
        when = say.days(first, first + timedelta(days=int(value) - 1))
    else:
        when = say.days(first, (warning.window_end - timedelta(seconds=1)).date())
    sentences = {
        "consecutive_nights": f"You're down for {say.number(value)} nights "
                              f"{'in four weeks' if count else 'in a row'} ({when}) — thank you; "
                              "please rest well, and it's fine to ask for a night off.",
        "consecutive_days": f"You're on duty {say.number(value)} days in a row ({when}) — thank you; "
                            "it's fine to ask for a day off.",
        "short_rest": f"There are only {format_hours(round(value, 2))} between two of your duties "
                      f"({say.moment(warning.window_start)}) — thank you; if that's too tight, just say.",
        "long_duty": f"One of your duties runs {format_hours(round(value, 2))} ({say.moment(warning.window_start)}) "
                     "— thank you; do take breaks, and it's fine to ask for a shorter one.",
        "early_starts": f"You have {say.number(value)} early starts in a row ({when}) — thank you; "
                        "it's fine to ask for a later shift.",
        "weekly_load": f"You've a lot on in the week {when} — {THANKS}",
        "intense_hours": f"You've a lot of demanding hours in the week {when} — thank you; "
                         "it's fine to say no, and to ask for a lighter shift.",
        "load_spike": f"You've taken on much more than usual lately ({when}) — {THANKS}",
        "over_pledge": f"You've given well beyond your pledge over the four weeks {when} — {THANKS}",
    }
    return sentences.get(warning.rule)


def load_note(org: Organisation, membership: Membership, now: datetime) -> str | None:
    """Return a kind note about ``membership``'s own load, or None when there is nothing to say.

    First the week (local Monday to Sunday holding ``now``): when its hours
    are well beyond the pledge (the over_pledge notice level and at least its
    minimum excess), "You've given 14 h this week, well beyond your 4 h —
    thank you; it's fine to say no." Otherwise the worst warning-level
    finding of the rules whose episode touches this week or the next
    fortnight, in plain words. Two queries.
    """
    tz = org_zone(org)
    week_start, week_end = week_bounds(local_date(now, tz), tz)
    schedule = schedules_for(org, [membership.id], min(now - HISTORY, week_start), max(now + NEAR, week_end))
    mine = schedule.get(membership.id)
    if mine is None or not mine.shifts:
        return None
    policy = policy_for(org, membership)
    pledge = mine.pledged_hours_per_week
    week = [s for s in mine.shifts if week_start <= s.start < week_end]
    hours = sum(s.hours for s in week)
    worked = sum(s.hours for s in week if s.start < now)
    settings = policy.settings("over_pledge")
    if pledge and settings.get("enabled", True) and settings.get("notice") is not None:
        beyond = hours > pledge * float(settings["notice"]) and hours - pledge >= float(settings["min_excess_hours"])
        if beyond:
            verb = "You've given" if worked >= hours - 1e-9 else "You're giving"
            return (f"{verb} {format_hours(round(hours, 2))} this week, well beyond your "
                    f"{format_hours(round(pledge, 2))} — {THANKS}")
    serious = [w for w in evaluate_volunteer(mine, now, tz, policy)
               if is_at_least(w.severity, "warning") and w.episode_end > week_start
               and w.episode_start < now + NEAR and _gentle(w)]
    if not serious:
        return None
    worst = max(serious, key=lambda w: (severity_rank(w.severity), w.episode_end.timestamp()))
    return _gentle(worst)
