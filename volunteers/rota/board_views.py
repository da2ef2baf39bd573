"""The coordinator's board: a week or a month of shifts by day, gaps standing out, and its print view.

The other rota pages live beside it by topic (shift_views: a one-off shift;
series_views; period_views: copy forward, publish, import, export;
catalogue_views: roles, sites, qualifications); ``rota/blueprint.py`` lists
the URL rule of every one of them.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import g, render_template, request
from flask.typing import ResponseReturnValue

from volunteers.core.auth import coordinator_required
from volunteers.core.models import Organisation
from volunteers.core.params import parse_date
from volunteers.core.tenancy import current_org
from volunteers.core.timeutil import Month, local_date, utcnow
from volunteers.core.webparams import id_arg
from volunteers.rota import board_month, board_period, board_reads
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

    def __init__(self, org: Organisation, anchor: date) -> None:
        monday = board_period.week_start(anchor)
        self.dates = [monday + timedelta(days=k) for k in range(7)]
        self.org = org
        self.day: date | None = None

    def __call__(self, per_day: dict[date, int]) -> set[date]:
        if sum(per_day.values()) <= WEEK_CARDS_PER_PAGE:
            return set(per_day)
        try:
            asked = parse_date(request.args["day"]) if request.args.get("day") else None
        except ValueError:
            asked = None
        now = today(self.org)
        if asked in self.dates:
            self.day = asked
        elif now in self.dates:
            self.day = now
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
    pager = DayPager(org, anchor) if kind == "week" else None
    view = (board_month.month_view(org, anchor, board_filters(), g.membership) if kind == "month"
            else board_period.board_view(org, kind, anchor, board_filters(), named_days=pager, viewer=g.membership))
    partial = request.headers.get("HX-Request") and not request.headers.get("HX-Boosted")
    return render_template(
        "rota/_board.html" if partial else "rota/board.html",
        view=view, roles=board_reads.role_names(org), sites=board_reads.site_names(org, g.membership), org=org,
        today=today(org),
        day=pager.day if pager else None, per_page=WEEK_CARDS_PER_PAGE,
        max_cards=board_period.MONTH_CARDS_PER_DAY,
        # series set to "flag" make shifts on these days; the board marks them
        holidays=bank_holidays(nation_of(org.settings), view.dates[0], view.dates[-1]),
    )


@coordinator_required
def print_week() -> ResponseReturnValue:
    """An A4 noticeboard sheet of one week, with the names on each shift."""
    org = current_org()
    _, anchor = anchor_date(org)
    view = board_period.board_view(org, "week", anchor, board_filters(), viewer=g.membership)
    return render_template("rota/print.html", view=view, org=org, sites=board_reads.site_names(org, g.membership))

