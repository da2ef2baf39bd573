"""The coordinator's board: a week or a month of shifts by day, gaps standing out, and its print view.

The other rota pages live beside it by topic (shift_views: a one-off shift;
series_views; period_views: copy forward, publish, import, export;
catalogue_views: roles, sites, qualifications); ``rota/blueprint.py`` lists
the URL rule of every one of them.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import cast

from flask import current_app, g, render_template, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from volunteers.core import change_marks
from volunteers.core.auth import coordinator_required
from volunteers.core.kept_text import mark_to_keep_by
from volunteers.core.models import Organisation
from volunteers.core.params import parse_date
from volunteers.core.tenancy import current_org
from volunteers.core.timeutil import Month, local_date, utcnow
from volunteers.core.webparams import id_arg
from volunteers.people.models import Membership
from volunteers.rota import board_kept, board_month, board_period, board_reads
from volunteers.rota.domain.bank_holidays import bank_holidays, nation_of


def today(org: Organisation) -> date:
    return local_date(utcnow(), org.timezone)


def anchor_date(org: Organisation) -> tuple[str, date]:
    """Return the board's kind (week/month) and a date inside the period asked for; today if unreadable."""
    kind = "month" if request.args.get("view") == "month" else "week"
    try:
        if kind == "month" and request.args.get("month"):
            return kind, Month.parse(request.args["month"]).first_day
        if request.args.get("week"):
            return kind, parse_date(request.args["week"])
    except ValueError:
        pass
    return kind, today(org)


#: a week with more shifts than this shows one day's cards at a time, with a pager; the other days are summed
#: per role (as a busy month day is). A 500-volunteer week of ~930 cards was 200 KB and a second to render.
WEEK_CARDS_PER_PAGE = 150


class DayPager:
    """Decides, once the week's shifts per day are known, whether the week pages and which day it shows.

    Passed to :func:`board_period.board_view` as ``named_days``: the day shown gets its people's names, the
    days summed per role only their counts. ``day`` is None when the week shows every card.
    """

    def __init__(self, org: Organisation, anchor: date, today: date) -> None:
        monday = board_period.week_start(anchor)
        self.dates = [monday + timedelta(days=k) for k in range(7)]
        self.org, self.today = org, today
        self.day: date | None = None

    def __call__(self, per_day: dict[date, int]) -> set[date]:
        if sum(per_day.values()) <= WEEK_CARDS_PER_PAGE:
            return set(per_day)
        try:
            asked = parse_date(request.args["day"]) if request.args.get("day") else None
        except ValueError:
            asked = None
        if asked in self.dates:
            self.day = asked
        elif self.today in self.dates:
            self.day = self.today
        else:
            self.day = min(per_day)  # the first day with shifts
        return {self.day}


def board_filters() -> board_reads.BoardFilter:
    return board_reads.BoardFilter(
        site_id=id_arg("site"), role_id=id_arg("role"), gaps_only=request.args.get("gaps") == "1"
    )


@coordinator_required
def board() -> ResponseReturnValue:
    org = current_org()
    kind, anchor = anchor_date(org)
    now = today(org)  # once: the key and the content agree on the date, even at midnight
    pager = DayPager(org, anchor, now) if kind == "week" else None
    viewer = g.membership
    filters = board_filters()
    token_of = cast(Callable[[], str], current_app.jinja_env.globals["csrf_token"])  # what the template calls
    # the organisation's change mark first, then (when nothing was kept at it) the rows (core.change_marks)
    mark = mark_to_keep_by(org.id)
    first = Month.of(anchor).first_day if kind == "month" else board_period.week_start(anchor)
    mark_key = (org.id, change_marks.as_loaded(org, viewer), kind, first, filters, request.args.get("day"),
                now, WEEK_CARDS_PER_PAGE, board_period.MONTH_CARDS_PER_DAY, request.script_root)
    content = board_kept.by_mark(mark_key, mark, token_of())
    if content is None:
        content = _content(org, kind, anchor, pager, viewer, filters, token_of, now, mark_key, mark)
    if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
        return content
    return render_template("rota/board.html", board=Markup(content))


def _content(org: Organisation, kind: str, anchor: date, pager: DayPager | None, viewer: Membership,
             filters: board_reads.BoardFilter, token_of: Callable[[], str], now: date, mark_key: tuple[object, ...],
             change_mark: int | None) -> str:
    """The board's content made of its rows (or kept from the same rows), kept at ``change_mark`` too."""
    read = (board_month.month_rows(org, anchor, filters, viewer) if kind == "month"
            else board_period.period_rows(org, kind, anchor, filters, named_days=pager, viewer=viewer))
    roles, sites = board_reads.role_names(org), board_reads.site_names(org, viewer)
    # series set to "flag" make shifts on these days; the board marks them
    holidays = bank_holidays(nation_of(org.settings), read.dates[0], read.dates[-1])
    # the content is made of these (compared) and the key's values (see rota.board_kept)
    rows = ((read.sums, read.cards) if isinstance(read, board_month.MonthRows)
            else (read.rows.shifts, read.rows.people), roles, sites, holidays)
    key = (org.id, org.timezone, viewer.id, viewer.role, kind, read.first, filters, pager.day if pager else None,
           now, WEEK_CARDS_PER_PAGE, board_period.MONTH_CARDS_PER_DAY, request.script_root)
    content = board_kept.kept_board(key, rows, token_of())
    if content is None:
        tokens = 0

        def mark() -> str:
            nonlocal tokens
            tokens += 1
            return board_kept.TOKEN_MARK

        context = dict(view=read.view(), roles=roles, sites=sites, org=org, today=now,
                       day=pager.day if pager else None, per_page=WEEK_CARDS_PER_PAGE,
                       max_cards=board_period.MONTH_CARDS_PER_DAY, holidays=holidays)
        content = board_kept.keep(key, rows, render_template("rota/_board.html", csrf_token=mark, **context), tokens,
                                  token_of())
        if content is None:  # the mark typed into a name: drawn as it always was, not kept
            return render_template("rota/_board.html", **context)
    board_kept.keep_by_mark(mark_key, change_mark, key, rows)
    return content


@coordinator_required
def print_week() -> ResponseReturnValue:
    """An A4 noticeboard sheet of one week, with the names on each shift."""
    org = current_org()
    _, anchor = anchor_date(org)
    view = board_period.board_view(org, "week", anchor, board_filters(), viewer=g.membership)
    return render_template("rota/print.html", view=view, org=org, sites=board_reads.site_names(org, g.membership))

