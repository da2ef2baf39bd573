"""/me/shifts' text kept between views while what it is made of is unchanged (issue 13).

Once its two statements are read, most of the view made the same text again from the same rows: the
places made into cards, the load note, ``me/shifts.html`` inside ``base.html``. Here the page (all but its
top) is kept per volunteer and served while it would come out the same. It is a pure function of

* the two statements' rows (``me_pages.page_reads``: my places with the others on them, and the probe
  with the announcements), read on every view and compared, as the driver gave them, with those the kept
  page was made of;
* my memberships and their organisations as this request loaded them: each membership's organisation,
  status, pledge and limits, each organisation's name, zone and settings (the notice period, the load
  policy), compared on every view;
* ``now``, through its local date in each organisation's zone ("Today", "Tomorrow", the week of the load
  note: in the key) and comparisons with each place's start, end and cancelling cutoff only (whether it
  is coming up, has started, may be cancelled without asking, and the week's hours worked): a kept page
  holds the open interval between the nearest of those instants around the ``now`` it was made at and
  is served only inside it;
* the key's rest: the volunteer (each their own entry), the calendar feed's URL (their token and the host)
  and the volunteer pages' stylesheet URL (its fingerprint, and the URL root every link starts with);
* the request's CSRF token and the page top (``core.layout.page_top``: the header, the time the page was
  made, the token), put in on every view.

Kept only when the probe found nothing in the page's rarely-filled parts (a waiting-list entry, a pending
offer or request, a shift offered to me, a stored finding for the load note): those are read by further
statements whose rows are not compared, so such a page is drawn as before. Not kept either: a page with a
message flashed, and pages of a development server (templates may change under it).

At most :data:`KEPT_AT_MOST` pages, the oldest dropped first, each of at most :data:`LONGEST` characters made of
at most :data:`ROWS_AT_MOST` rows of places. A kept page holds its UTF-8 and the rows it was made of (~0.65 KB a
row as Python objects): the demo's volunteers' ~10 KB and 22-26 rows make ~25 KB an entry (~3 MB for a full store);
at most ~40 KB of text (~100 KB if it were all beyond Latin) and ~85 KB of rows, ~16 MB for a full store.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app, render_template, session, url_for
from markupsafe import Markup, escape

from volunteers.core.kept_text import TOKEN_MARK
from volunteers.core.models import Organisation
from volunteers.core.timeutil import zone
from volunteers.people.models import Membership, Person
from volunteers.selfservice import announcements
from volunteers.selfservice.me_markup import kept_past_rows, kept_upcoming_cards
from volunteers.selfservice.me_pages import PageReads, page_reads, shifts_page
from volunteers.selfservice.services import notice_hours

#: pages kept per app (one per volunteer and day), the oldest dropped past this
KEPT_AT_MOST = 128
#: a longer page is not kept (a volunteer with dozens of shifts coming up)
LONGEST = 32 * 1024
#: nor one made of more rows of places (a row per place and person on it; two months of shifts behind)
ROWS_AT_MOST = 128
_EXTENSION = "selfservice.me_kept_page"


@dataclass(frozen=True)
class KeptPage:
    """A page's UTF-8 split where the page top and the token go, and what it was made of."""

    places: list[tuple[Any, ...]]  #: ``page_reads``' rows, as the driver gave them
    probe: list[tuple[Any, ...]]
    members: tuple[Any, ...]  #: :func:`_members`
    #: the open interval of ``now`` in which every comparison with ``now`` stays as made (None: unbounded)
    after: datetime | None
    before: datetime | None
    pieces: tuple[bytes, ...]


def _kept() -> dict[tuple[Any, ...], KeptPage]:
    kept: dict[tuple[Any, ...], KeptPage] | None = current_app.extensions.get(_EXTENSION)
    if kept is None:
        kept = current_app.extensions[_EXTENSION] = {}
    return kept


def forget() -> None:
    """Drop this app's kept pages (tests: the pages made afresh)."""
    _kept().clear()


def _members(memberships: list[Membership], orgs: dict[int, Organisation]) -> tuple[Any, ...]:
    """What the page reads of my memberships and of the organisations of my places (compared on every view)."""
    return (tuple((m.id, m.organisation_id, m.status, m.pledged_hours_per_week, m.limits) for m in memberships),
            tuple((org_id, org.name, org.timezone, org.settings) for org_id, org in orgs.items()))


def _flips(reads: PageReads) -> set[datetime]:
    """The instants at which a comparison of the page with ``now`` changes: each place's start, end and the end
    of its notice period (``domain.notice``: cancelling at the cutoff itself is still in time)."""
    sqlite = reads.conn.dialect.name == "sqlite"
    hours = {org_id: timedelta(hours=notice_hours(org)) for org_id, org in reads.orgs.items()}
    found: set[datetime] = set()
    for row in reads.places.typed():
        starts, ends = (datetime.fromisoformat(f"{row[5]}+00:00"), datetime.fromisoformat(f"{row[6]}+00:00")) \
            if sqlite else (row[5], row[6])
        # (at its end the place's row changes too: it no longer joins its own assignment as one of those on it)
        found.update((starts, ends, starts - hours[row[3]]))
    return found


def _today(orgs: dict[int, Organisation], now: datetime) -> tuple[tuple[int, date], ...]:
    """Today's date in each organisation's zone: "Today" and "Tomorrow" on the cards, the load note's week."""
    return tuple((org_id, now.astimezone(zone(org.timezone)).date()) for org_id, org in orgs.items())


def _context(person: Person, memberships: list[Membership], now: datetime, reads: PageReads) -> dict[str, Any]:
    return {**shifts_page(person, memberships, now, reads), "paragraphs": announcements.paragraphs,
            "upcoming_cards": kept_upcoming_cards, "past_rows": kept_past_rows}  # the cards' kept markup


def _top_stand_in() -> Markup:
    return Markup(TOKEN_MARK)


def _serves(found: KeptPage | None, now: datetime, reads: PageReads, members: tuple[Any, ...]) -> bool:
    """Whether the kept page is what would be made now: ``now`` inside its interval, and made of these rows."""
    return (found is not None and (found.after is None or found.after < now)
            and (found.before is None or now < found.before)
            and found.places == reads.places.rows and found.probe == reads.probe.rows and found.members == members)


def my_shifts(person: Person, memberships: list[Membership], now: datetime) -> str | bytes:
    """``render_template("me/shifts.html", ...)`` of ``me_pages.shifts_page``, from the kept page when it would
    come out the same."""
    app = current_app
    env = app.jinja_env
    reads = page_reads(person, memberships, now)
    if app.debug or env.auto_reload or "_flashes" in session or any(reads.probe.rows[0][:4]):
        # a message to flash, templates that may change, or a part read by statements not compared: as before
        return render_template("me/shifts.html", **_context(person, memberships, now, reads))
    token_of: Callable[[], str] = env.globals["csrf_token"]  # type: ignore[assignment]
    page_top: Callable[[], Markup] = env.globals["page_top"]  # type: ignore[assignment]
    token = str(escape(token_of()))
    feed = url_for("calendar.feed", token=person.calendar_token, _external=True) if person.calendar_token else None
    # the stylesheet's URL holds the URL root the page's links start with, and the file's fingerprint
    key = (person.id, feed, url_for("static", filename="me.css"), _today(reads.orgs, now))
    members = _members(memberships, reads.orgs)
    kept = _kept()
    found = kept.get(key)
    if found is None or not _serves(found, now, reads, members):
        context = _context(person, memberships, now, reads)
        text = render_template("me/shifts.html", page_top=_top_stand_in, **context)
        # the token's places: each announcement's form, the calendar link's one or two, signing out everywhere
        tokens = len(context["announcements"]) + (2 if context["feed_url"] else 1) + 1
        flips = _flips(reads)
        if (now in flips or len(text) > LONGEST or len(reads.places.rows) > ROWS_AT_MOST or TOKEN_MARK in token
                or text.count(TOKEN_MARK) != 1 or text.count(token) != tokens):
            # not kept: at a flip, too long, or the mark or token typed into a value
            kept.pop(key, None)
            if text.count(TOKEN_MARK) == 1:
                return text.replace(TOKEN_MARK, str(page_top()))
            return render_template("me/shifts.html", **context)
        if len(kept) >= KEPT_AT_MOST and key not in kept:
            kept.pop(next(iter(kept)), None)  # the oldest
        found = kept[key] = KeptPage(
            reads.places.rows, reads.probe.rows, copy.deepcopy(members),
            max((t for t in flips if t < now), default=None), min((t for t in flips if t > now), default=None),
            tuple(piece.encode() for piece in text.replace(token, TOKEN_MARK).split(TOKEN_MARK)))
    pieces = found.pieces
    return b"".join((pieces[0], str(page_top()).encode(), token.encode().join(pieces[1:])))
