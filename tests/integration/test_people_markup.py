"""/people's faster reads and markup give what the plain ways gave, on the demo data (issue 13).

The page's statement counts the matching members with a scalar subquery and
orders the page by its sort column again outside, where it used windows
(``count() OVER ()``, ``row_number()``); its rows and headings are written in
Python (``people.list_markup``) where a Jinja loop and macro wrote them. Each is
checked here against the old way for both demo organisations, every order,
every filter and page size.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from flask import Flask, url_for
from sqlalchemy import Select, bindparam, func, select

from tests.demo_db import demo_app
from volunteers.core.models import Organisation
from volunteers.extensions import db as _db
from volunteers.people import queries
from volunteers.people.list_markup import people_rows, sort_headings
from volunteers.people.models import Membership, Person, PersonQualification, Qualification

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # the demo's Monday (tests/integration/test_demo.py)
TODAY = date(2026, 11, 30)

#: what people/_rows.html wrote before list_markup: its heading macro and its loop over the members
OLD_TEMPLATE = "\n".join((
    '{% macro sorted_by(label, key) -%}',
    "{%- set current = page.sort.lstrip('-') == key -%}",
    "{%- set descending = page.sort.startswith('-') -%}",
    '<th scope="col"{% if current %} aria-sort="{{ \'descending\' if descending else \'ascending\' }}"{% endif %}>'
    '<a href="{{ url_for(\'people.list_people\', **dict(args, sort=(\'-\' ~ key) if current and not descending '
    'else key)) }}">{{ label }}</a>{% if current %} <span aria-hidden="true">{{ \'▼\' if descending else \'▲\' }}'
    '</span>{% endif %}</th>',
    '{%- endmacro %}',
    "<thead><tr>{{ sorted_by('Name', 'name') }}{{ sorted_by('Contact', 'email') }}{{ sorted_by('Role', 'role') }}"
    "{{ sorted_by('Status', 'status') }}{{ sorted_by('Pledge', 'pledge') }}"
    '<th scope="col">Qualifications</th></tr></thead>',
    '  <tbody>',
    '  {% for m in members %}',
    '    <tr>',
    '      <td><a href="{{ person_url }}{{ m.id }}">{{ m.name }}</a></td>',
    '      <td data-label="Contact">{{ m.email }}{% if m.phone %}<br><span class="muted">{{ m.phone }}</span>'
    '{% endif %}</td>',
    '      <td data-label="Role">{{ m.role }}</td>',
    '      <td data-label="Status">{{ m.status }}</td>',
    '      <td data-label="Pledge">{{ m.pledge }}</td>',
    '      <td data-label="Qualifications">{% for b in m.badges %}',
    '        <span class="badge {{ b.state }}">{{ b.text }}</span>',
    '      {% endfor %}</td>',
    '    </tr>',
    '  {% else %}',
    '    <tr><td colspan="6">Nobody matches these filters.</td></tr>',
    '  {% endfor %}',
    '  </tbody>',
))
NEW_TEMPLATE = """
<thead><tr>{{ headings }}<th scope="col">Qualifications</th></tr></thead>
  <tbody>
  {{ rows }}
  </tbody>"""


@pytest.fixture(scope="module")
def demo() -> Iterator[Flask]:
    """The demo loaded once, in an in-memory database of its own (as test_demo.py does)."""
    with demo_app(NOW) as (app, _):
        yield app


def _old_page_statement(shape: queries._Shape, sort: str) -> Select:
    """The page's statement before: windows for the total and the members' order."""
    column = queries.SORTS[sort.lstrip("-")]
    ordering = ((column.desc() if sort.startswith("-") else column.asc()).nulls_last(), Person.name, Membership.id)
    page = (
        queries._matching(shape, None)
        .with_only_columns(Membership.id, Person.name, Person.email, Person.phone, Membership.role,
                           Membership.status, Membership.pledged_hours_per_week,
                           func.count().over().label("total"), func.row_number().over(order_by=ordering).label("at"))
        .order_by(*ordering).offset(bindparam("offset")).limit(bindparam("limit"))
        .subquery("page")
    )
    return (
        select(page, Qualification.name.label("qualification"), PersonQualification.expires_on)
        .outerjoin(PersonQualification, (PersonQualification.organisation_id == queries.ORG_ID)
                   & (PersonQualification.membership_id == page.c.id))
        .outerjoin(Qualification, (Qualification.organisation_id == PersonQualification.organisation_id)
                   & (Qualification.id == PersonQualification.qualification_id))
        .order_by(page.c.at, PersonQualification.qualification_id)
    )


def _filters(org: Organisation) -> list[queries.PeopleFilter]:
    first_qualification = _db.session.scalar(select(Qualification.id).where(Qualification.organisation_id == org.id)
                                             .order_by(Qualification.id))
    return [queries.PeopleFilter(), queries.PeopleFilter(search="a"), queries.PeopleFilter(search="zzzz"),
            queries.PeopleFilter(status="paused"), queries.PeopleFilter(role="volunteer", search="e"),
            queries.PeopleFilter(qualification_id=first_qualification),
            queries.PeopleFilter(expiring_soon=True), queries.PeopleFilter(status="active", expiring_soon=True)]


def _orgs() -> list[Organisation]:
    return list(_db.session.scalars(select(Organisation).order_by(Organisation.id)))


def test_the_page_statement_reads_what_the_windows_read(demo: Flask) -> None:
    with demo.app_context():
        checked = 0
        for org in _orgs():
            for filters in _filters(org):
                shape = queries._shape(filters)
                for sort in [*queries.SORTS, *(f"-{key}" for key in queries.SORTS)]:
                    for per_page in (10, 200):
                        for number in (1, 3):
                            page = queries.people_page(org, filters, TODAY, sort=sort, number=number,
                                                       per_page=per_page)
                            if page.number != number:
                                continue  # past the end: the last page, checked as itself
                            params = {**queries._params(org, filters, TODAY, None),
                                      "offset": (number - 1) * per_page, "limit": per_page}
                            old = _db.session.execute(_old_page_statement(shape, sort), params).all()
                            old_rows = [row[:8] + row[9:] for row in old]  # without the row number
                            assert queries._person_rows(old_rows, TODAY) == page.members, (org.slug, filters, sort)
                            assert (old[0].total if old else 0) == page.total
                            checked += len(page.members)
        assert checked > 1000


def test_the_rows_and_headings_are_the_templates(demo: Flask) -> None:
    with demo.app_context(), demo.test_request_context("/people"):
        old, new = demo.jinja_env.from_string(OLD_TEMPLATE), demo.jinja_env.from_string(NEW_TEMPLATE)
        person_url = url_for("people.edit_person", membership_id=0).removesuffix("0")
        arguments = [{}, {"q": "a b&c<d>'\"é"}, {"status": "paused", "per": 25},
                     {"q": "x", "sort": "-email", "per": 100}, {"sort": "role"}, {"expiring": "1", "qualification": 3}]
        for org in _orgs():
            for filters in _filters(org):
                for sort in ("name", "-name", "email", "-pledge", "joined"):
                    page = queries.people_page(org, filters, TODAY, sort=sort, per_page=200)
                    for args in arguments:
                        args = {**args, "sort": sort} if "sort" in args else args
                        expected = old.render(page=page, members=page.members, person_url=person_url, args=args)
                        assert new.render(rows=people_rows(page.members, person_url),
                                          headings=sort_headings(url_for("people.list_people"), args, page.sort)) \
                            == expected, (org.slug, filters, sort, args)


def test_rows_escape_what_they_show(demo: Flask) -> None:
    member = queries.PersonRow(7, "<Ann> & 'Bo'", 'a"b@example.org', "<07700>", "Volunteer", "Active", "3 h/week",
                               [queries.Badge("soon", "DBS <check> · expires 1 Dec 2026")])
    with demo.app_context(), demo.test_request_context("/people"):
        old = demo.jinja_env.from_string(OLD_TEMPLATE)
        page = queries.PeoplePage([member], 1, 50, 1, "name")
        expected = old.render(page=page, members=[member], person_url="/people/", args={"q": "<b>"})
        got = demo.jinja_env.from_string(NEW_TEMPLATE).render(
            rows=people_rows([member], "/people/"), headings=sort_headings("/people", {"q": "<b>"}, "name"))
    assert got == expected
    assert "&lt;Ann&gt; &amp; &#39;Bo&#39;" in got


def test_text_escapes_as_markupsafe_does() -> None:
    from markupsafe import escape

    from volunteers.people.list_markup import _replace, text

    for value in ("", "plain", "a&b<c>d\"e'f", "&amp; already", "é · – ▲", "<<>>''\"\"&&"):
        assert text(value) == _replace(value) == str(escape(value))
