"""The shift cards of /me/shifts drawn in one Python pass each (issue 13).

Jinja looked each card's attributes up through the environment and escaped the
role and date three times a card: about half of the page's rendering. Here each
value is escaped once (as ``{{ }}`` does, by markupsafe's C escaping: each is a ``str``) and the markup
is written with the same bytes ``templates/me/shifts.html`` wrote in its two
loops ("Coming up" and "Recent shifts"), which now call these in their place.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from volunteers.people.list_markup import text

if TYPE_CHECKING:
    from volunteers.selfservice.me_cards import ShiftCard

_CANCEL_ASKED = ("You asked to be released; your coordinator will decide, and others have been asked to cover. "
                 "You're on it until then.\n        ")
_TAKEN = "Someone has taken your offer; waiting for your coordinator to approve the swap.\n        "
_LATE = "Within the notice period: cancelling asks your coordinator."


def _text(value: object) -> str:
    return str(value) if type(value) is int else str(escape(value))


def _offer(c: ShiftCard, role: str, day: str, csrf_field: str) -> str:
    """The pending offer or request standing on the place, and its Withdraw button."""
    offer = c.offer
    if offer is None:
        return ""
    asked = offer.kind == "cancel_request"
    if asked:
        kind = _CANCEL_ASKED
    elif offer.status == "taken":
        kind = _TAKEN
    else:
        kind = (f"You offered this shift to {text(c.offered_to or 'anyone who can do it')}. "
                "You're on it until someone takes it.")
    what = "request" if asked else "offer"
    return ('\n      <div class="pending" role="status">\n'
            f"        {kind}\n"
            f'        <form method="post" action="{text(c.withdraw_url)}">{csrf_field}\n'
            f'          <button type="submit" class="secondary outline" aria-label="Withdraw {what}: {role}, {day}">'
            f"Withdraw {what}</button>\n"
            "        </form>\n"
            "      </div>\n    ")


def _actions(c: ShiftCard, role: str, day: str) -> str:
    """Can't make it / Offer to someone, and until when I may cancel myself."""
    if c.started or (c.offer is not None and c.offer.kind == "cancel_request"):
        return ""
    offer = ("" if c.offer else f'<a role="button" class="secondary outline" href="{text(c.offer_url)}" '
             f'aria-label="Offer to someone: {role}, {day}">Offer to someone</a>')
    until = f"You can cancel yourself until {text(c.cutoff)}." if c.cancel_in_time else _LATE
    return ('\n    <div class="actions">\n'
            f'      <a role="button" class="secondary outline" href="{text(c.cancel_url)}" '
            f"aria-label=\"Can't make it: {role}, {day}\">Can't make it</a>\n"
            f"      {offer}\n"
            "    </div>\n"
            f'    <p class="muted small">{until}</p>\n    ')


def upcoming_cards(cards: Sequence[ShiftCard], csrf_field: str, many: bool) -> Markup:
    """The "Coming up" articles, as the loop of ``me/shifts.html`` drew them (the first marked as next)."""
    return Markup("".join(upcoming_card(c, index == 0, csrf_field, many) for index, c in enumerate(cards)))


def upcoming_card(c: ShiftCard, first: bool, csrf_field: str, many: bool) -> str:
    """One "Coming up" article (``first``: the page's first, marked as next)."""
    place = _text(c.assignment.id)
    role, day = text(c.role), text(c.date)
    eyebrow = (f'<p class="eyebrow">{"On now" if c.started else "Your next shift"}</p>' if first else "")
    when = f"""{text(c.day)}{f' <span class="muted">{day}</span>' if c.day != c.date else ''}"""
    what = (f"<strong>{role}</strong>{f' at {text(c.site)}' if c.site != c.role else ''}"
            f"{f', {text(c.address)}' if c.address else ''}"
            f"""{f' <span class="badge org">{text(c.org.name)}</span>' if many else ''}""")
    others = f"With {', '.join(text(name) for name in c.others)}." if c.others else "Nobody else is on yet."
    return (f'\n  <article class="my-shift{" next" if first else ""}" id="place-{place}" '
            f'aria-labelledby="place-{place}-when">\n'
            f"    {eyebrow}\n"
            f'    <h3 id="place-{place}-when" class="when">{when}, {text(c.time)}</h3>\n'
            f'    <p class="what">{what}</p>\n'
            f'    <p class="muted">{others}</p>\n'
            f"    {_offer(c, role, day, csrf_field)}\n"
            f"    {_actions(c, role, day)}\n"
            "  </article>\n  ")


def past_rows(cards: Sequence[ShiftCard], many: bool) -> Markup:
    """The "Recent shifts" list items, as the loop of ``me/shifts.html`` drew them."""
    return Markup("".join(past_row(c, many) for c in cards))


def past_row(c: ShiftCard, many: bool) -> str:
    """One "Recent shifts" list item."""
    return (f"\n    <li>{text(c.date)}, {text(c.time)}: {text(c.role)}"
            f"{' (missed)' if c.assignment.status == 'no_show' else ''}"
            f"{f' · {text(c.org.name)}' if many else ''}</li>\n  ")


def kept_upcoming_cards(cards: Sequence[Sequence[str]], csrf_field: str, many: bool) -> Markup:
    """The "Coming up" articles from their kept markup (``me_pages``: each split around the CSRF field)."""
    field = str(csrf_field)
    return Markup("".join(field.join(parts) for parts in cards))


def kept_past_rows(rows: Sequence[str], many: bool) -> Markup:
    """The "Recent shifts" list items from their kept markup."""
    return Markup("".join(rows))
