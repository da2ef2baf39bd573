"""The floor of ``bench_pages.py``: a bare Flask + SQLAlchemy Core + Jinja page per measured page.

Each route runs the one query its page cannot do without (the rows the page
shows: a volunteer's upcoming places with their role and site, the week's
shifts with who is on them, …) and renders the same fields through a Jinja
template with no logic. No sign-in, no ORM, no session, no per-row Python:
what the hardware and the libraries allow for the same rows. The real page
should reach at least half of this rate.

Served by gunicorn in the same run as the app (``gunicorn -w 2 floor_app:app``,
from the benchmarks directory) with ``FLOOR_DATABASE_URL`` naming the same
database. Every route takes its ids and instants as query parameters (the
bench reads them from the database), so the floor holds no knowledge of the
demo. ``X-Rows`` tells how many rows a page rendered.

Deliberately independent of ``volunteers``: importing the app would load its
libraries and make the floor's workers as large as the app's.
"""
from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, jsonify, request
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    and_,
    create_engine,
    func,
    literal,
    select,
)
from sqlalchemy.engine import Engine

#: the columns the floor reads, declared by hand (the app's models are not imported)
meta = MetaData()
people = Table("people", meta, Column("id", Integer, primary_key=True), Column("name", String), Column("email", String))
memberships = Table("memberships", meta, Column("id", Integer, primary_key=True), Column("organisation_id", Integer),
                    Column("person_id", Integer), Column("role", String), Column("status", String),
                    Column("pledged_hours_per_week", Numeric))
roles = Table("roles", meta, Column("id", Integer, primary_key=True), Column("name", String))
sites = Table("sites", meta, Column("id", Integer, primary_key=True), Column("name", String))
shifts = Table("shifts", meta, Column("id", Integer, primary_key=True), Column("organisation_id", Integer),
               Column("role_id", Integer), Column("site_id", Integer), Column("starts_at", DateTime(timezone=True)),
               Column("ends_at", DateTime(timezone=True)), Column("local_date", Date), Column("needed", Integer),
               Column("filled", Integer), Column("status", String))
assignments = Table("assignments", meta, Column("id", Integer, primary_key=True), Column("organisation_id", Integer),
                    Column("shift_id", Integer), Column("membership_id", Integer), Column("status", String))
warnings = Table("load_warnings", meta, Column("id", Integer, primary_key=True), Column("organisation_id", Integer),
                 Column("membership_id", Integer), Column("rule", String), Column("severity", String),
                 Column("status", String), Column("message", Text), Column("raised_at", DateTime(timezone=True)))
contributions = Table("contributions", meta, Column("id", Integer, primary_key=True),
                      Column("organisation_id", Integer), Column("membership_id", Integer), Column("kind", String),
                      Column("stage", String), Column("hours", Numeric), Column("amount", Numeric),
                      Column("occurred_on", Date), Column("occurred_at", DateTime(timezone=True)),
                      Column("role_id", Integer), Column("status", String),
                      Column("note", Text))
qualifications = Table("qualifications", meta, Column("id", Integer, primary_key=True), Column("name", String))
person_qualifications = Table("person_qualifications", meta, Column("id", Integer, primary_key=True),
                              Column("organisation_id", Integer), Column("membership_id", Integer),
                              Column("qualification_id", Integer),
                              Column("expires_on", Date))
series = Table("shift_series", meta, Column("id", Integer, primary_key=True), Column("organisation_id", Integer),
               Column("role_id", Integer), Column("site_id", Integer), Column("rrule", Text),
               Column("start_time", String), Column("end_time", String), Column("needed", Integer),
               Column("active", Integer))

ACTIVE = ("assigned", "confirmed", "attended", "no_show")

#: one template for every page: a heading and a table of the rows' fields, no logic beyond the loop
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<link rel="stylesheet" href="/static/app.css"></head>
<body><main><h1>{{ title }}</h1>
<table><thead><tr>{% for name in columns %}<th>{{ name }}</th>{% endfor %}</tr></thead><tbody>
{% for row in rows %}<tr>{% for value in row %}<td>{{ value }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table></main></body></html>
"""

app = Flask(__name__)
template = app.jinja_env.from_string(PAGE)
engine: Engine


def bind(url: str) -> None:
    """Point the floor at a database (gunicorn: from ``FLOOR_DATABASE_URL`` at import)."""
    global engine
    engine = create_engine(url)


bind(os.environ.get("FLOOR_DATABASE_URL", "sqlite://"))


def _instant(name: str) -> datetime:
    """An aware UTC instant from the query string, as the dialect stores it (SQLite: naive UTC)."""
    value = datetime.fromisoformat(request.args[name]).astimezone(UTC)
    return value.replace(tzinfo=None) if engine.dialect.name == "sqlite" else value


def _int(name: str) -> int:
    return int(request.args[name])


def _page(title: str, stmt: Any) -> Response:
    with engine.connect() as conn:
        result = conn.execute(stmt)
        columns, rows = list(result.keys()), result.all()
    return _render(title, columns, rows)


def _json(stmt: Any) -> Response:
    """The rows as a JSON list of objects, column name to value (what an API read's floor returns)."""
    with engine.connect() as conn:
        result = conn.execute(stmt)
        columns, rows = list(result.keys()), result.all()
    response = jsonify([dict(zip(columns, row, strict=True)) for row in rows])
    response.headers["X-Rows"] = str(len(rows))
    return response


def _render(title: str, columns: list[str], rows: list[Any]) -> Response:
    response = Response(template.render(title=title, columns=columns, rows=rows), mimetype="text/html")
    response.headers["X-Rows"] = str(len(rows))
    return response


@app.get("/healthz")
def healthz() -> Response:
    with engine.connect() as conn:
        conn.execute(select(literal(1)))
    return jsonify(status="ok")


@app.get("/me/shifts")
def my_shifts() -> Response:
    """The volunteer's places from ``since`` on, with the shift's time, role and site."""
    return _page("My shifts", _my_shifts())


@app.get("/api/me/shifts")
def my_shifts_json() -> Response:
    """``/me/shifts``' rows as JSON: the floor of ``GET /api/v1/me/shifts``."""
    return _json(_my_shifts())


def _my_shifts() -> Any:
    return (select(shifts.c.starts_at, shifts.c.ends_at, roles.c.name.label("role"), sites.c.name.label("site"),
                   assignments.c.status)
            .select_from(assignments.join(shifts, shifts.c.id == assignments.c.shift_id)
                         .join(roles, roles.c.id == shifts.c.role_id).join(sites, sites.c.id == shifts.c.site_id))
            .where(assignments.c.organisation_id == _int("org"), assignments.c.membership_id == _int("m"),
                   assignments.c.status.in_(ACTIVE),
                   shifts.c.starts_at >= _instant("since"))
            .order_by(shifts.c.starts_at))


@app.get("/me/shifts/open")
def open_shifts() -> Response:
    """The organisation's upcoming shifts with a free place."""
    stmt = (select(shifts.c.id, shifts.c.starts_at, shifts.c.ends_at, roles.c.name.label("role"),
                   sites.c.name.label("site"), shifts.c.needed, shifts.c.filled)
            .select_from(shifts.join(roles, roles.c.id == shifts.c.role_id)
                         .join(sites, sites.c.id == shifts.c.site_id))
            .where(shifts.c.organisation_id == _int("org"), shifts.c.status == "planned",
                   shifts.c.starts_at >= _instant("since"), shifts.c.starts_at < _instant("until"),
                   shifts.c.filled < shifts.c.needed)
            .order_by(shifts.c.starts_at))
    return _page("Open shifts", stmt)


@app.get("/rota/week")
def rota_week() -> Response:
    """The week's shifts, one row per shift and person on it (a shift without anyone once)."""
    return _page("Week", _week())


@app.get("/api/shifts")
def week_json() -> Response:
    """The week's rows as JSON: the floor of ``GET /api/v1/shifts?from=…&to=…``."""
    return _json(_week())


def _week() -> Any:
    on = and_(assignments.c.organisation_id == shifts.c.organisation_id, assignments.c.shift_id == shifts.c.id,
              assignments.c.status.in_(ACTIVE))
    return (select(shifts.c.id, shifts.c.starts_at, shifts.c.ends_at, roles.c.name.label("role"),
                   sites.c.name.label("site"), shifts.c.needed, shifts.c.filled, people.c.name)
            .select_from(shifts.join(roles, roles.c.id == shifts.c.role_id)
                         .join(sites, sites.c.id == shifts.c.site_id).outerjoin(assignments, on)
                         .outerjoin(memberships, memberships.c.id == assignments.c.membership_id)
                         .outerjoin(people, people.c.id == memberships.c.person_id))
            .where(shifts.c.organisation_id == _int("org"), shifts.c.starts_at >= _instant("start"),
                   shifts.c.starts_at < _instant("end"))
            .order_by(shifts.c.starts_at, shifts.c.id))


@app.get("/rota/month")
def rota_month() -> Response:
    """The month's shifts: time, role, site and places (a summary, no names)."""
    stmt = (select(shifts.c.local_date, shifts.c.starts_at, roles.c.name.label("role"), sites.c.name.label("site"),
                   shifts.c.needed, shifts.c.filled)
            .select_from(shifts.join(roles, roles.c.id == shifts.c.role_id)
                         .join(sites, sites.c.id == shifts.c.site_id))
            .where(shifts.c.organisation_id == _int("org"), shifts.c.starts_at >= _instant("start"),
                   shifts.c.starts_at < _instant("end"))
            .order_by(shifts.c.starts_at, shifts.c.id))
    return _page("Month", stmt)


@app.get("/rota/shift")
def shift_panel() -> Response:
    """One shift and the organisation's active members as candidates, with whether each is on it."""
    shift_id, org_id = _int("shift"), _int("org")
    on_it = (select(assignments.c.status).where(assignments.c.organisation_id == org_id,
                                                assignments.c.shift_id == shift_id,
                                                assignments.c.membership_id == memberships.c.id,
                                                assignments.c.status.in_(ACTIVE)).scalar_subquery())
    with engine.connect() as conn:
        head = conn.execute(select(shifts.c.starts_at, shifts.c.ends_at, roles.c.name, sites.c.name)
                            .select_from(shifts.join(roles, roles.c.id == shifts.c.role_id)
                                         .join(sites, sites.c.id == shifts.c.site_id))
                            .where(shifts.c.id == shift_id)).one()
    stmt = (select(memberships.c.id, people.c.name, memberships.c.pledged_hours_per_week, on_it.label("on_it"))
            .select_from(memberships.join(people, people.c.id == memberships.c.person_id))
            .where(memberships.c.organisation_id == org_id, memberships.c.status == "active")
            .order_by(people.c.name))
    return _page(f"{head[2]} at {head[3]}, {head[0]}", stmt)


@app.get("/warnings")
def load_warnings() -> Response:
    """The organisation's open load warnings with the person's name."""
    stmt = (select(people.c.name, warnings.c.rule, warnings.c.severity, warnings.c.message, warnings.c.raised_at)
            .select_from(warnings.join(memberships, memberships.c.id == warnings.c.membership_id)
                         .join(people, people.c.id == memberships.c.person_id))
            .where(warnings.c.organisation_id == _int("org"), warnings.c.status == "open")
            .order_by(warnings.c.raised_at.desc()))
    return _page("Load warnings", stmt)


@app.get("/reports/monthly")
def monthly_report() -> Response:
    """The month's approved ledger, summed by kind, stage and role."""
    stmt = (select(contributions.c.kind, contributions.c.stage, roles.c.name.label("role"),
                   func.count().label("entries"), func.count(contributions.c.membership_id.distinct()).label("people"),
                   func.sum(contributions.c.hours).label("hours"), func.sum(contributions.c.amount).label("amount"))
            .select_from(contributions.outerjoin(roles, roles.c.id == contributions.c.role_id))
            .where(contributions.c.organisation_id == _int("org"), contributions.c.status == "approved",
                   contributions.c.occurred_at >= _instant("start"), contributions.c.occurred_at < _instant("end"))
            .group_by(contributions.c.kind, contributions.c.stage, roles.c.name)
            .order_by(contributions.c.kind, contributions.c.stage, roles.c.name))
    return _page("Monthly report", stmt)


@app.get("/people")
def people_list() -> Response:
    """The first page of the organisation's members (50, as /people shows) with name, e-mail, role, status, pledge."""
    stmt = (select(people.c.name, people.c.email, memberships.c.role, memberships.c.status,
                   memberships.c.pledged_hours_per_week)
            .select_from(memberships.join(people, people.c.id == memberships.c.person_id))
            .where(memberships.c.organisation_id == _int("org"))
            .order_by(people.c.name).limit(50))
    return _page("People", stmt)


@app.get("/me/hours")
def my_hours() -> Response:
    """The volunteer's ledger entries, newest first."""
    stmt = (select(contributions.c.occurred_on, contributions.c.kind, contributions.c.hours,
                   contributions.c.status, roles.c.name.label("role"), contributions.c.note)
            .select_from(contributions.outerjoin(roles, roles.c.id == contributions.c.role_id))
            .where(contributions.c.organisation_id == _int("org"), contributions.c.membership_id == _int("m"))
            .order_by(contributions.c.occurred_on.desc(), contributions.c.id.desc()))
    return _page("My hours", stmt)


@app.get("/people/one")
def person() -> Response:
    """One member's record (name, e-mail, role, status, pledge), then their qualification records."""
    membership_id, org_id = _int("m"), _int("org")
    record = (select(people.c.name, people.c.email, memberships.c.role, memberships.c.status,
                     memberships.c.pledged_hours_per_week)
              .select_from(memberships.join(people, people.c.id == memberships.c.person_id))
              .where(memberships.c.organisation_id == org_id, memberships.c.id == membership_id))
    records = (select(qualifications.c.name, person_qualifications.c.expires_on)
               .select_from(person_qualifications.join(
                   qualifications, qualifications.c.id == person_qualifications.c.qualification_id))
               .where(person_qualifications.c.organisation_id == org_id,
                      person_qualifications.c.membership_id == membership_id))
    with engine.connect() as conn:
        result = conn.execute(record)
        columns, rows = list(result.keys()), result.all()
        rows += conn.execute(records).all()
    return _render("Person", columns, rows)


@app.get("/rota/series")
def series_list() -> Response:
    """The organisation's series with role and site."""
    stmt = (select(series.c.rrule, series.c.start_time, series.c.end_time, roles.c.name.label("role"),
                   sites.c.name.label("site"), series.c.needed, series.c.active)
            .select_from(series.join(roles, roles.c.id == series.c.role_id)
                         .join(sites, sites.c.id == series.c.site_id))
            .where(series.c.organisation_id == _int("org"))
            .order_by(roles.c.name, series.c.id))
    return _page("Series", stmt)
