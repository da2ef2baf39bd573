"""The content of a person's page and of /people (all but the site's header and menu) kept between GETs while what
they show is unchanged.

Why: once their statements were read, most of these pages' own time went on making the same text again from the
same values: a person's page's two forms (WTForms binds and draws a dozen fields), its qualification and
supervision tables; /people's members folded from their rows, their rows' markup, the filter form's loops.
Each content is a pure function of

* the values read on every view and compared with those it was made of. A person's page: the member, their
  person and weekly windows, the qualifications and the member's records (their state judged on ``today``,
  also compared), the supervision sessions and the organisation's supervisors; a pledge is compared as text
  too, since ``Decimal("3") == Decimal("3.00")`` while the form writes them differently. /people: the page's
  rows as read (the members, how many match, their records), the qualifications to filter by and ``today``
  (the badges' states); a pledge there is written as hours, the same for equal amounts;
* what the key holds: the page (the member's id; /people's filters, order, page and size, and whether htmx
  asks for the rows alone), the viewer's role and the request's script root (the URLs);
* the request's CSRF token (a person's page's forms), which the kept text leaves out: it is split where the
  token goes, and text holding the token anywhere else (typed in) is not kept.

A person's page's sites section (a coordinator's page seen by an admin) reads the sites while the template is
drawn: such a page is made afresh every time, as is a page with a refused form. Entries are kept per app and
carry their organisation's id, checked on reading; at most :data:`KEPT_AT_MOST` (10 KB for a person's page,
~30 KB for /people's 50 members, with their values: a few MB a worker at most), dropped together past that.
"""
from __future__ import annotations

from typing import Any

from volunteers.core.kept_text import TOKEN_MARK, KeptTexts

#: entries kept per app (a person's page or a page of /people, by viewer's role); dropped together past this
KEPT_AT_MOST = 256
PAGES = KeptTexts("people.kept_pages", KEPT_AT_MOST)


def kept_content(key: tuple[Any, ...], org_id: int, facts: tuple[Any, ...], token: str = "") -> str | None:
    """The content kept under ``key`` with ``token`` in it, if it was made of ``facts`` (read now); else None."""
    return PAGES.get(key, (org_id, facts), token)


def keep(key: tuple[Any, ...], org_id: int, facts: tuple[Any, ...], text: str, token: str = "",
         tokens: int = 0) -> None:
    """Keep ``text``, made of ``facts`` with ``token`` in its forms ``tokens`` times (none: no token), under ``key``.

    Text holding the token a different number of times (typed into a value) is not kept.
    """
    PAGES.keep(key, (org_id, facts), text, tokens, mark=token or None)


#: /people's content by its page (the viewer, filters, order, page, day and URLs' root) at the organisation's change
#: mark (``core.change_marks``) read before its rows: while the mark reads the same, no row of the organisation
#: changed (members, their people, qualifications and records, the viewer's sites), so the content is served
#: without reading them; at most :data:`KEPT_AT_MOST`, dropped together past that
AT_MARKS = KeptTexts("people.kept_pages.at_marks", KEPT_AT_MOST)


def at_mark(key: tuple[Any, ...], mark: int | None) -> str | None:
    """The content kept under ``key`` at the change ``mark`` read now (None: none, or another mark, or no mark)."""
    return None if mark is None else AT_MARKS.get(key, mark, "")


def keep_at_mark(key: tuple[Any, ...], mark: int | None, text: str) -> None:
    """Keep ``text`` (holding no token), made of rows read after the change ``mark`` was, under ``key``."""
    if mark is not None:
        AT_MARKS.keep(key, mark, text, 0, mark=None)


#: a person's page's content and title (the member's name) by the page (the member, the viewer and organisation as
#: the sign-in read loaded them, the local date, the URLs' root and the CSRF setting) at the organisation's change
#: mark read before its rows: while the mark reads the same, none of the rows it shows changed (the member, their
#: person, windows, records and sessions, the qualifications, the supervisors, the viewer's sites), and the page
#: is served without its statements. At most :data:`PERSONS_AT_MOST` texts of at most :data:`LONGEST` characters
#: (a person's page is ~10 K; one with hundreds of sessions is made afresh every time), dropped together past
#: that: ~2.5 MB on the demo, 128 x 64 K characters (~16 MB at two bytes a character) at worst
PERSONS_AT_MOST = 128
LONGEST = 64 * 1024
PERSONS_AT_MARK = KeptTexts("people.kept_pages.persons_at_mark", PERSONS_AT_MOST)


def person_at_mark(key: tuple[Any, ...], mark: int | None, token: str) -> tuple[str, str] | None:
    """A person's page's content (with ``token`` in) and title kept under ``key`` at the change ``mark`` read now;
    None: none, or made at another mark, or no mark."""
    found = PERSONS_AT_MARK.texts().get(key) if mark is not None else None
    if found is None or found.made_of[0] != mark:
        return None
    return token.join(found.pieces), found.made_of[1]


def keep_person_at_mark(key: tuple[Any, ...], mark: int | None, title: str, kept_under: tuple[Any, ...],
                        org_id: int, facts: tuple[Any, ...]) -> None:
    """Keep the content :data:`PAGES` holds under ``kept_under`` under ``key`` at ``mark`` with its ``title``, if it
    is made of ``facts`` (those this view read after the mark: another thread may have kept another since)."""
    found = PAGES.texts().get(kept_under)
    if mark is None or found is None or found.made_of != (org_id, facts) or \
            sum(map(len, found.pieces)) > LONGEST:
        return
    PERSONS_AT_MARK.keep(key, (mark, title), TOKEN_MARK.join(found.pieces), len(found.pieces) - 1)


def forget() -> None:
    """Drop this app's kept content (tests: the pages made afresh)."""
    PAGES.forget()
    AT_MARKS.forget()
    PERSONS_AT_MARK.forget()
