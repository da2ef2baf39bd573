"""``/me/hours``: the hours I have given, month by month, and logging hours outside the rota.

Totals come from the contributions ledger: approved entries of my
memberships (reversals included, so corrections show), by the local month
they count in (``occurred_on``). Hours logged here wait for a coordinator
(``contributions.services.log_hours``). The volunteer says at which stage
of the service and of what kind (time, or expertise) the hours were; left
as "usual", they take the role's usual stage and kind — what the role's
approved hours were most often filed as — so a supervision session logged
under a supervision role is not filed as delivery.

The page's view, and the GET's page kept between views: ``contributions.hours_page``.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from flask import g, render_template, request
from markupsafe import Markup
from sqlalchemy import Select, bindparam, func, select
from wtforms import DateField, DecimalField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from volunteers.contributions import services as contributions
from volunteers.contributions.models import STAGES, Contribution
from volunteers.core.models import Organisation
from volunteers.core.numbers import hours as hours_text
from volunteers.core.reads import columns
from volunteers.core.sql_lists import one_of
from volunteers.core.timeutil import Month, local_date
from volunteers.core.webparams import SaneDate
from volunteers.core.widgets import FastForm
from volunteers.extensions import db
from volunteers.people.form_markup import field as draw_field
from volunteers.people.list_markup import text
from volunteers.people.models import Membership
from volunteers.rota.models import Role

MONTHS_SHOWN = 12
#: what logged hours are when neither the volunteer nor the role's history says otherwise
DEFAULT_STAGE, DEFAULT_KIND = "delivery", "time"
HOURLY = {"time": "Time", "expertise": "Expertise (skilled or professional work)"}


class LogHoursForm(FastForm):
    organisation_id = SelectField("Organisation", coerce=int, validate_choice=False)
    day = DateField("Day", validators=[DataRequired(message="Give the day."), SaneDate()])
    hours = DecimalField("Hours", places=2, validators=[
        DataRequired(message="Give the hours, e.g. 2.5."),
        NumberRange(min=0.25, max=24, message="Between 0.25 and 24.")])
    role_id = SelectField("Role (optional)", coerce=int, validate_choice=False)
    stage = SelectField("Stage of the service", choices=[
        SelectChoice("", "Usual for the role"), *(SelectChoice(s, s.capitalize()) for s in STAGES)],
        description="Planning, design, delivery, evaluation…: where in the service this time went.",
        validate_choice=False)  # log_hours names a stage it does not know; an old form without it: the usual
    kind = SelectField("Kind", choices=[
        SelectChoice("", "Usual for the role"), *(SelectChoice(k, label) for k, label in HOURLY.items())],
        validate_choice=False)
    note = StringField("What you did", validators=[Optional(), Length(max=500)])


class MonthTotal(NamedTuple):
    """A month's approved and waiting hours of a membership (a tuple: twelve are made each view)."""

    label: str
    approved: Decimal
    pending: Decimal


def month_rows(totals: list[MonthTotal]) -> Markup:
    """The rows of a membership's table of months (what the template's loop wrote): label, approved, waiting."""
    return Markup("".join(
        f'\n      <tr><th scope="row">{text(t.label)}</th>'
        f'<td class="num" data-label="Approved">{text(hours_text(t.approved)) if t.approved else "–"}</td>'
        f'<td class="num" data-label="Waiting">{text(hours_text(t.pending)) if t.pending else "–"}</td></tr>\n    '
        for t in totals))


def sections(summaries: list[tuple[Membership, list[MonthTotal]]], many: bool) -> Markup:
    """Each membership's section (what the template's loop wrote): its heading, this month's hours, its months."""
    parts = []
    for membership, totals in summaries:
        name = text(membership.organisation.name) if many else ""
        label = f"Approved hours by month, {name}" if many else "Approved hours by month"
        first = totals[0]
        waiting = (f' <span class="muted">(and {text(hours_text(first.pending))} waiting for approval)</span>'
                   if first.pending else "")
        parts.append(
            f'\n<section aria-labelledby="hours-{membership.id}">\n'
            f'  <h2 id="hours-{membership.id}">{name if many else "By month"}</h2>\n'
            f'  <p class="this-month"><strong>This month: {text(hours_text(first.approved) or "0 h")}</strong>'
            f'{waiting}</p>\n'
            f'  <div class="table-scroll" tabindex="0" role="region" aria-label="{label}">'
            f'<table class="hours-table stack">\n'
            f'    <caption class="visually-hidden">{label}</caption>\n'
            f'    <thead><tr><th scope="col">Month</th><th scope="col" class="num">Approved</th>'
            f'<th scope="col" class="num">Waiting</th></tr></thead>\n'
            f'    <tbody>\n    {month_rows(totals)}\n    </tbody>\n  </table></div>\n</section>\n')
    return Markup("".join(parts))


#: approved and pending hours of some memberships by day, from ``first`` on: built once, bound per view
_TOTALS = (
    select(Contribution.membership_id, Contribution.occurred_on, Contribution.status, func.sum(Contribution.hours))
    .where(Contribution.organisation_id.in_(bindparam("orgs", expanding=True)),
           Contribution.membership_id.in_(bindparam("members", expanding=True)),
           Contribution.occurred_on >= bindparam("first"), one_of(Contribution.status, ("approved", "pending")))
    .group_by(Contribution.membership_id, Contribution.occurred_on, Contribution.status)
)
#: the same for one membership (most volunteers have one): plain parameters, where ``IN`` lists are
#: written into the SQL afresh at every execution
_ONE_TOTALS = (
    select(Contribution.membership_id, Contribution.occurred_on, Contribution.status, func.sum(Contribution.hours))
    .where(Contribution.organisation_id == bindparam("org"), Contribution.membership_id == bindparam("member"),
           Contribution.occurred_on >= bindparam("first"), one_of(Contribution.status, ("approved", "pending")))
    .group_by(Contribution.membership_id, Contribution.occurred_on, Contribution.status)
)
_ZERO = Decimal(0)


def totals_read(one: bool) -> Select[int | None, date, str, Decimal]:
    """The statement of :func:`month_totals`: for one membership (plain parameters), or for several."""
    return _ONE_TOTALS if one else _TOTALS


def month_window(memberships: list[Membership], now: datetime) -> tuple[list[Month], dict[int, date]]:
    """Each membership's local month of ``now``, and the first day shown of each (by membership id)."""
    this_months = [Month.of(local_date(now, m.organisation.timezone)) for m in memberships]
    firsts = {m.id: month.previous(MONTHS_SHOWN - 1).first_day
              for m, month in zip(memberships, this_months, strict=True)}
    return this_months, firsts


def totals_params(memberships: list[Membership], firsts: dict[int, date]) -> dict[str, Any]:
    """The parameters of ``totals_read(len(memberships) == 1)``."""
    if len(memberships) == 1:
        (only,) = memberships
        return {"org": only.organisation_id, "member": only.id, "first": firsts[only.id]}
    return {"orgs": list({m.organisation_id for m in memberships}),
            "members": [m.id for m in memberships], "first": min(firsts.values())}


def month_totals(memberships: list[Membership], now: datetime,
                 rows: list[tuple[Any, ...]] | None = None) -> list[list[MonthTotal]]:
    """Return each membership's approved and pending hours for this month and up to 11 before it, newest first.

    "This month" is the local month of ``now`` in each organisation's zone. One query for all of them
    (``rows``: its rows, read already). Months before the first hours given in that year are left out.
    """
    if not memberships:
        return []
    this_months, firsts = month_window(memberships, now)
    if rows is None:
        rows = list(columns(totals_read(len(memberships) == 1), totals_params(memberships, firsts)))
    # (membership id, year, month, status) -> hours: months as plain numbers, made into Months only when shown
    sums: dict[tuple[int, int, int, str], Decimal] = defaultdict(Decimal)
    for membership_id, day, status, hours in rows:
        if membership_id is not None and day >= firsts[membership_id]:
            sums[membership_id, day.year, day.month, status] += Decimal(hours or 0)
    found = []
    for membership, this_month in zip(memberships, this_months, strict=True):
        mid = membership.id
        totals = [MonthTotal(name, sums.get((mid, year, number, "approved"), _ZERO),
                             sums.get((mid, year, number, "pending"), _ZERO))
                  for year, number, name in _shown_months(this_month)]
        while len(totals) > 1 and not (totals[-1].approved or totals[-1].pending):
            totals.pop()  # months before the first hours given say nothing
        found.append(totals)
    return found


@lru_cache(maxsize=64)
def _shown_months(this_month: Month) -> tuple[tuple[int, int, str], ...]:
    """The year, number and name of the months shown from ``this_month`` back, newest first (made once a month)."""
    months = (this_month.previous(i) for i in range(MONTHS_SHOWN))
    return tuple((month.year, month.month, month.name) for month in months)


def usual_for_role(org: Organisation, role_id: int | None) -> tuple[str, str]:
    """Return the stage and kind the role's approved hours were most often filed as (else delivery, time).

    One query; ties go to the stage and kind that come first in the ledger's lists.
    """
    if role_id is None:
        return DEFAULT_STAGE, DEFAULT_KIND
    rows = db.session.execute(
        select(Contribution.stage, Contribution.kind, func.count(Contribution.id))
        .where(Contribution.organisation_id == org.id, Contribution.role_id == role_id,
               Contribution.status == "approved", Contribution.kind.in_(tuple(HOURLY)))
        .group_by(Contribution.stage, Contribution.kind)).all()
    if not rows:
        return DEFAULT_STAGE, DEFAULT_KIND
    stage, kind, _ = max(rows, key=lambda r: (r[2], -STAGES.index(r[0]) if r[0] in STAGES else -99,
                                              -list(HOURLY).index(r[1])))
    return stage, kind


def log_hours(org: Organisation, membership: Membership, day: date, hours: Decimal, role_id: int | None,
              note: str | None, now: datetime, stage: str | None = None, kind: str | None = None) -> Contribution:
    """Log hours as a pending entry for a coordinator to approve; a stage or kind not given is the role's usual."""
    if not stage or not kind:
        usual_stage, usual_kind = usual_for_role(org, role_id)
        stage, kind = stage or usual_stage, kind or usual_kind
    return contributions.log_hours(org, membership, day, hours, role_id, note, now, stage=stage, kind=kind)


#: the open roles of some organisations, by name (``rota.queries.roles`` for several at once, as columns)
_ROLES = (select(Role.organisation_id, Role.id, Role.name)
          .where(Role.organisation_id.in_(bindparam("orgs", expanding=True)), Role.archived_at.is_(None))
          .order_by(Role.name, Role.id))
#: the same for one organisation (most volunteers belong to one), without an ``IN`` list to write at each execution
_ONE_ORG_ROLES = (select(Role.organisation_id, Role.id, Role.name)
                  .where(Role.organisation_id == bindparam("org"), Role.archived_at.is_(None))
                  .order_by(Role.name, Role.id))


def roles_read(one: bool) -> Select[int, int, str]:
    """The statement of the log form's roles: of one organisation (plain parameters), or of several."""
    return _ONE_ORG_ROLES if one else _ROLES


def roles_params(memberships: list[Membership]) -> dict[str, Any]:
    """The parameters of ``roles_read(len(memberships) == 1)``."""
    org_ids = [m.organisation_id for m in memberships]
    return {"org": org_ids[0]} if len(org_ids) == 1 else {"orgs": org_ids}


def choices(memberships: list[Membership], rows: list[tuple[Any, ...]] | None = None
            ) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The log form's organisations and roles to choose from (one statement: the open roles; ``rows``: its rows,
    read already)."""
    organisations = [(m.organisation_id, m.organisation.name) for m in memberships]
    roles = [(0, "—")]
    by_org: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if rows is None:
        rows = list(columns(roles_read(len(memberships) == 1), roles_params(memberships)))
    for org_id, role_id, name in rows:
        by_org[org_id].append((role_id, name))
    for m in memberships:
        roles += [(role_id, name if len(memberships) == 1 else f"{name} ({m.organisation.name})")
                  for role_id, name in by_org.get(m.organisation_id, [])]
    return organisations, roles


def form_for(organisations: list[tuple[int, str]], roles: list[tuple[int, str]], day: date | None) -> LogHoursForm:
    """The log form with these choices; on a GET, the signed-in organisation and ``day`` filled in."""
    form = LogHoursForm()
    form.organisation_id.choices = organisations
    form.role_id.choices = roles
    if request.method == "GET":
        form.organisation_id.data = g.membership.organisation_id
        form.day.data = day
    return form


def fields_of(form: LogHoursForm, many: bool) -> Markup:
    """The form's fields between its token and its button, as the template's lines drew them."""
    first = draw_field(form.organisation_id) if many else Markup(
        '<input type="hidden" name="organisation_id" value="{}">').format(form.organisation_id.choices[0][0])
    return Markup(f'{first}\n    <div class="grid">\n      <div>{draw_field(form.day)}</div>\n'
                  f'      <div>{draw_field(form.hours, hint="e.g. 2.5")}</div>\n    </div>\n'
                  f'    {draw_field(form.role_id)}\n    <div class="grid">\n      <div>{draw_field(form.stage)}</div>\n'
                  f'      <div>{draw_field(form.kind)}</div>\n    </div>\n    {draw_field(form.note)}')


#: the blank form's fields (a GET's: nothing typed, no errors) by all they show: the choices, the organisation
#: chosen and the day; a pure function of those, kept between views and dropped together past this many
BLANK_FIELDS_AT_MOST = 512
_BLANK_FIELDS: dict[tuple[Any, ...], Markup] = {}


def blank_fields(organisations: list[tuple[int, str]], roles: list[tuple[int, str]], day: date,
                 many: bool) -> Markup:
    """The blank form's fields (a GET's) with these choices, the signed-in organisation chosen and ``day``."""
    key = (tuple(organisations), tuple(roles), g.membership.organisation_id, day, many)
    fields = _BLANK_FIELDS.get(key)
    if fields is None:
        if len(_BLANK_FIELDS) >= BLANK_FIELDS_AT_MOST:
            _BLANK_FIELDS.clear()
        fields = _BLANK_FIELDS[key] = fields_of(form_for(organisations, roles, day), many)
    return fields


def content(memberships: list[Membership], fields: Markup, many: bool, totals: list[list[MonthTotal]]) -> str:
    """The page's content (``contributions/_my_hours_content.html``: all but the site's header and menu) with the
    form's ``fields`` and each membership's ``totals``."""
    summaries = list(zip(memberships, totals, strict=True))
    return render_template("contributions/_my_hours_content.html", fields=fields,
                           sections=sections(summaries, many))
