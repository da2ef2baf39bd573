"""/warnings' repeated markup written in Python, byte for byte what its Jinja macros wrote: every value escaped.

Why: the person cards, their rule cards and each warning's section were most of the page's time as
macros (a call, an attribute lookup and an escape per value in Jinja's runtime). A section's text
before its forms is kept with its view (``queries.WarningView.sections``); the forms (a token a
request) are joined to it.
"""
from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from volunteers.core.numbers import hours as format_hours
from volunteers.wellbeing.local_words import LocalWords
from volunteers.wellbeing.queries import PersonLoad, ShiftLine, WarningView
from volunteers.wellbeing.warning_cards import RuleCard

_LEADS = {"now": "going on now", "latest": "the latest", "next": "the next"}


def warning_section(view: WarningView, card: RuleCard | None, rows: str, actions: str,
                    words: LocalWords) -> Markup:
    """Return one warning's section (what a Jinja macro wrote, byte for byte): every value escaped.

    ``rows`` are its shift table's rows (:func:`shift_rows`) and ``actions`` its forms, both markup;
    ``words`` writes its times (as ``local_dt`` did, in the organisation's zone).
    """
    return Markup(section_head(view, card, rows, words) + actions + SECTION_TAIL)


#: what follows a section's forms
SECTION_TAIL = "\n  </div>\n"


def section_head(view: WarningView, card: RuleCard | None, rows: str, words: LocalWords) -> str:
    """A section's text before its forms: a pure function of the view, how its card badges it (lead and
    episodes, when more than one), its rows and ``words``' zone, so ``views`` keeps it with the view."""
    row = view.row
    wid = escape(row.id)
    severity = escape(row.severity)
    badges = [
        f'<small class="badge">{escape(_LEADS[card.lead_is])} of {escape(card.episodes)} episodes</small>'
        if card and card.episodes > 1 else "",
        '<small class="badge">on the planned rota</small>' if row.prospective else "",
        '<small class="badge">acknowledged</small>' if row.status == "acknowledged" else "",
        f'<small class="badge">snoozed until {escape(words.day(row.snoozed_until))}</small>'
        if view.snoozed else "",
    ]
    details = "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in view.details)
    raised = escape(words.stamp(row.raised_at))
    if row.updated_at and row.updated_at != row.raised_at:
        raised = Markup(f"{raised}, updated {escape(words.stamp(row.updated_at))}")
    note = f"<dt>Note</dt><dd>{escape(row.acknowledged_note)}</dd>" if row.acknowledged_note else ""
    table = ""
    if view.shifts:
        count = len(view.shifts)
        long = count > 6
        opening = caption = closing = ""
        if long:
            more = f" ({escape(view.behind)} in the whole episode)" if view.behind > count else ""
            opening = f"<details><summary>The {count} shifts of the worst stretch{more}</summary>"
            closing = "</details>"
        else:
            more = (f" (the worst stretch; {escape(view.behind)} shifts in the whole episode)"
                    if view.behind > count else "")
            caption = f'<caption class="muted start">The shifts behind it{more}</caption>'
        table = (
            f"\n    \n    {opening}\n"
            f'    <div class="table-scroll" tabindex="0"><table>\n'
            f"      {caption}\n"
            '      <thead><tr><th scope="col">When (local time)</th><th scope="col">Role</th>'
            '<th scope="col">Hours</th></tr></thead>\n'
            f"      <tbody>\n      {rows}\n      </tbody>\n    </table></div>\n    {closing}\n    ")
    return (
        f'\n  \n  <div class="load-warning" id="warning-{wid}">\n'
        f'    <h4 id="warning-{wid}-title" class="warning-title">\n'
        f'      <span class="severity {severity}">{severity}</span> {escape(view.rule_name)}\n'
        f"      {badges[0]}\n      {badges[1]}\n      {badges[2]}\n      {badges[3]}\n"
        f"    </h4>\n"
        f'    <p class="warning-message">{escape(row.message)}</p>\n'
        f"    <dl>\n"
        f"      <dt>Measured</dt><dd>{escape(view.measured)}</dd>\n"
        f"      <dt>Threshold</dt><dd>{escape(view.level)}</dd>\n"
        f"      <dt>Window</dt><dd>{escape(view.window)}</dd>\n"
        f"      {details}\n"
        f"      <dt>Raised</dt><dd>{raised}</dd>\n"
        f"      {note}\n"
        f"    </dl>\n"
        f"    {table}\n"
        f"    \n"
        f"    ")



def shift_rows(view: WarningView, week_url: Markup, seen: dict[ShiftLine, str],
               hours_seen: dict[float, str] | None = None) -> Markup:
    """Return the table rows of a warning's shifts (one string), as a Jinja loop over them wrote them.

    ``seen`` keeps each row's text, and ``hours_seen`` each number of hours', between the warnings of a
    page, which name many of the same shifts.
    """
    hours_seen = {} if hours_seen is None else hours_seen
    parts = []
    for s in view.shifts:
        row = seen.get(s)
        if row is None:
            on_call = ' <small class="muted">(on call)</small>' if s.on_call else ""
            hours = hours_seen.get(s.hours)
            if hours is None:
                hours = hours_seen[s.hours] = escape(format_hours(s.hours))
            row = seen[s] = (
                f'\n        <tr><td><a href="{week_url}{escape(s.week)}" title="This shift\'s week on the rota '
                f'board">{escape(s.when)}</a></td><td>{escape(s.role)}{on_call}</td>'
                f'<td>{hours}</td></tr>\n      ')
        parts.append(row)
    return Markup("".join(parts))


_CHART_TITLE = "Weekly hours, 8 weeks back to 3 ahead; dashed: the pledge"
#: person cards' heads by what they show (a pure function of it), kept between views; dropped together past this many
HEADS_AT_MOST = 1024
_HEADS: dict[tuple[object, ...], str] = {}


def person_card(person: PersonLoad, cards: list[RuleCard],
                section_of: Callable[[WarningView, RuleCard | None], str]) -> Markup:
    """Return a person's article of rule cards (the ``person_card`` macro's text), or two newlines without cards.

    ``section_of`` writes a warning's section, given its card when it leads one.
    """
    if not cards:
        return Markup("\n\n")
    member = person.membership
    name = escape(member.person.name)
    key = (member.id, name, person.worst, person.pledge, person.chart, person.this_week)
    head = _HEADS.get(key)
    if head is None:
        if len(_HEADS) >= HEADS_AT_MOST:
            _HEADS.clear()
        mid = escape(member.id)
        pledge = f"pledges {escape(format_hours(person.pledge))} a week" if person.pledge else "no pledge"
        head = _HEADS[key] = (
            f'\n\n<article class="load-person {escape(person.worst)}" id="person-{mid}" '
            f'aria-labelledby="person-{mid}-name">\n  <header>\n    <h3 id="person-{mid}-name">{name}</h3>\n'
            f'    <span class="muted">\n      {pledge}\n'
            f'      · <span title="{_CHART_TITLE}">{escape(person.chart)}</span>\n'
            f"      <small>{escape(format_hours(person.this_week))} this week</small>\n    </span>\n  </header>\n  ")
    parts = [head]
    for card in cards:
        lead = card.lead
        earlier = later = ""
        if card.earlier:
            n = len(card.earlier)
            earlier = (
                f'\n  <details class="episodes">\n    <summary>{n} earlier {escape(lead.rule_name.lower())} '
                f"episode{'' if n == 1 else 's'} for {name}</summary>\n    "
                f"{''.join(section_of(w, None) for w in card.earlier)}\n  </details>\n  ")
        if card.later:
            n = len(card.later)
            later = (
                f'\n  <details class="episodes">\n    <summary>{n} later {escape(lead.rule_name.lower())} '
                f"episode{'' if n == 1 else 's'} on the planned rota</summary>\n    "
                f"{''.join(section_of(w, None) for w in card.later)}\n  </details>\n  ")
        parts.append(f'\n  <div class="rule-card {escape(card.worst)}">\n  {section_of(lead, card)}\n  '
                     f"{earlier}\n  {later}\n  </div>\n  ")
    parts.append("\n</article>\n\n")
    return Markup("".join(parts))
