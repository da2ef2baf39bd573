"""Page text kept between views while what it was made of is unchanged, each request's CSRF token put back.

Several pages (the rota board, a person's page and /people) spent most of their
own time making the same text again from the same rows. Their statements still
run on every view; what was read is compared with what the kept text was made
of (``made_of``), and everything else the text depends on is in the key, so a
kept text is a pure function of what is checked on every view: workers keep
their own and never need to agree. The request's CSRF token is not kept: the
text is split where it goes (``mark``: the token itself, or :data:`TOKEN_MARK`
drawn in its place) and each request's own is joined back in. Text holding
the mark anywhere else (typed into a value) is not kept.

One store per app (``app.extensions``), at most ``at_most`` texts, dropped
together past that. ``wellbeing.kept_page`` keeps /warnings' content the same
way, with comparisons of its own (identities, an interval of ``now``).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from flask import current_app, g, session

from volunteers.core import change_marks
from volunteers.core.models import ORGANISATION_CHANGES
from volunteers.extensions import db

#: stands for the request's CSRF token in text made to be kept (no token holds it)
TOKEN_MARK = "\x01"


def keeps_page() -> bool:
    """Whether this request's page may be kept, or served kept: not with messages to flash (drawn once, then
    gone), not on a development server (templates may change under it)."""
    return not (current_app.debug or current_app.jinja_env.auto_reload or "_flashes" in session)


def mark_to_keep_by(org_id: int) -> int | None:
    """The organisation's change mark for a page kept by it (``core.change_marks``): the one the sign-in read
    loaded with the viewer's memberships (``g.sign_in_marks``: read first, and with the very values the page
    takes from the organisation and membership) while the transaction it was read in goes on, else read now;
    None when this request has written.

    A request that commits its own writes part-way (none that draws a kept page does today) ends that
    transaction: the marks read before its writes would stand for rows it no longer sees.
    """
    read_in = g.get("sign_in_transaction")
    known = g.get("sign_in_marks") if read_in is not None and read_in is db.session().get_transaction() else None
    return change_marks.mark_to_keep_by(db.session, ORGANISATION_CHANGES, org_id, known)


class KeptText(NamedTuple):
    """A text split where the token goes, and what it was made of (compared on reading); kept at a change
    mark (:meth:`KeptTexts.keep_at_mark`), made of the mark and the stretch of time it stands for: a store keeps
    its texts one way or the other, never both."""

    made_of: Any
    pieces: tuple[Any, ...]


class KeptTexts:
    """A bounded per-app store of texts, by key."""

    def __init__(self, name: str, at_most: int) -> None:
        self.name, self.at_most = name, at_most

    def texts(self) -> dict[tuple[Any, ...], KeptText]:
        """This app's texts by key (tests look inside)."""
        kept: dict[tuple[Any, ...], KeptText] | None = current_app.extensions.get(self.name)
        if kept is None:
            kept = current_app.extensions[self.name] = {}
        return kept

    def get(self, key: tuple[Any, ...], made_of: Any, token: str) -> str | None:
        """The text kept under ``key`` with ``token`` in it, if it was made of ``made_of`` (read now); else None."""
        found = self.texts().get(key)
        if found is None or found.made_of != made_of:
            return None
        return token.join(found.pieces)

    def keep(self, key: tuple[Any, ...], made_of: Any, text: str, tokens: int,
             mark: str | None = TOKEN_MARK) -> tuple[str, ...] | None:
        """Keep ``text``, made of ``made_of`` with ``mark`` where the token goes ``tokens`` times (``mark`` None:
        no token), under ``key``; return its pieces, or None (not kept) when the mark is found elsewhere too."""
        pieces = tuple(text.split(mark)) if mark else (text,)
        if len(pieces) != tokens + 1:
            return None
        kept = self.texts()
        if len(kept) >= self.at_most:
            kept.clear()
        kept[key] = KeptText(made_of, pieces)
        return pieces

    def at_mark(self, key: tuple[Any, ...], mark: int | None, now: datetime) -> tuple[Any, ...] | None:
        """The pieces kept under ``key`` by :meth:`keep_at_mark` at the change ``mark`` read now, if ``now`` is in
        the stretch they stand for; else None."""
        found = self.texts().get(key) if mark is not None else None
        if found is None:
            return None
        made_at_mark, made_at, until = found.made_of
        if made_at_mark != mark or not made_at <= now < until:
            return None
        return found.pieces

    def keep_at_mark(self, key: tuple[Any, ...], mark: int | None, now: datetime, until: datetime | None,
                     pieces: tuple[Any, ...]) -> None:
        """Keep ``pieces``, made at ``now`` of what was read after the organisation's change ``mark``, under
        ``key`` until ``until`` (the first instant the clock alone would change them); nothing for no mark
        (the request wrote), no end, or an empty stretch.

        While the mark reads the same no row of the organisation changed (``core.change_marks``), so they stand
        for what would be made again from ``now`` until ``until``.
        """
        if mark is None or until is None or not now < until:
            return
        kept = self.texts()
        if key not in kept and len(kept) >= self.at_most:
            kept.clear()
        kept[key] = KeptText((mark, now, until), pieces)

    def forget(self) -> None:
        """Drop this app's texts (tests: the pages made afresh)."""
        self.texts().clear()
