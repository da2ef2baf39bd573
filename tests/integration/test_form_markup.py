"""``people.form_markup.field`` draws a field as the ``field`` macro of ``_macros.html`` does, byte for byte.

A person's page and /me/hours call the Python function in place of the macro
(issue 13); here both draw every field of those pages' forms, blank, filled in,
refused (with errors), with and without a hint, and with text that needs escaping.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from config import TestingConfig
from volunteers.app import create_app
from volunteers.contributions.my_hours import LogHoursForm
from volunteers.people.form_markup import field
from volunteers.people.forms import QualificationRecordForm, SupervisionForm, VolunteerForm

MACRO = '{% from "_macros.html" import field %}{{ field(f, hint) }}'


@pytest.fixture(scope="module")
def app() -> Iterator[Flask]:
    yield create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")


def _forms(data: MultiDict | None) -> list:
    volunteer = VolunteerForm(formdata=data)
    supervision = SupervisionForm(formdata=data)
    supervision.supervisor_id.choices = [(0, "Someone else (say who in the note)"), (3, "Cora <Ordinator>")]
    hours = LogHoursForm(formdata=data)
    hours.organisation_id.choices = [(1, "Tackley & Co"), (2, "Sure Start")]
    hours.role_id.choices = [(0, "—"), (4, "Shop 'till'"), (5, "Café")]
    if data is None:
        hours.day.data = date(2026, 11, 30)
    forms = [volunteer, supervision, hours, QualificationRecordForm(formdata=data)]
    if data is not None:
        for form in forms:
            form.validate()
    return forms


@pytest.mark.parametrize("data", [
    None,
    MultiDict(),
    MultiDict({"name": "Ann <b>&amp;</b>", "email": "not an e-mail", "phone": "0" * 50, "role": "admin",
               "status": "paused", "pledged_hours_per_week": "x", "joined_on": "2026-13-01", "availability": "Mon",
               "notes": "\"quoted\" 'note'", "held_on": "", "supervisor_id": "3", "note": "<script>",
               "organisation_id": "2", "day": "nope", "hours": "99", "role_id": "5", "stage": "bogus",
               "kind": "expertise", "qualification": "", "expires_on": "2027-01-01"}),
    MultiDict({"name": "Ann", "email": "ann@example.org", "role": "volunteer", "status": "active",
               "pledged_hours_per_week": "3.5", "joined_on": "2025-01-02", "day": "2026-11-30", "hours": "2.5",
               "organisation_id": "1", "role_id": "0", "held_on": "2026-11-01", "qualification": "DBS"}),
])
def test_the_function_draws_what_the_macro_draws(app: Flask, data: MultiDict | None) -> None:
    with app.test_request_context("/", method="GET" if data is None else "POST"):
        macro = app.jinja_env.from_string(MACRO)
        drawn = refused = 0
        for form in _forms(data):
            for f in form:
                if f.type == "CSRFTokenField":
                    continue
                for hint in (None, "e.g. 2.5 <hours>"):
                    got = field(f, hint=hint)
                    assert isinstance(got, Markup)
                    assert str(got) == macro.render(f=f, hint=hint), (f.name, hint)
                    drawn += 1
                refused += bool(f.errors)
        assert drawn > 40
        if data is not None and "ann@example.org" not in data.values():  # blank or wrong: refused fields drawn
            assert refused > 3


OLD_MONTH_LOOP = (
    "{% for t in totals %}\n"
    '      <tr><th scope="row">{{ t.label }}</th><td class="num" data-label="Approved">'
    "{{ t.approved|hours if t.approved else '–' }}</td><td class=\"num\" data-label=\"Waiting\">"
    "{{ t.pending|hours if t.pending else '–' }}</td></tr>\n"
    "    {% endfor %}")


def test_the_months_rows_are_the_templates_loop(app: Flask) -> None:
    from decimal import Decimal

    from volunteers.contributions.my_hours import MonthTotal, month_rows

    totals = [MonthTotal("December 2026", Decimal("2.50"), Decimal(0)),
              MonthTotal("November <2026> & 'co'", Decimal(0), Decimal("0.25")),
              MonthTotal("October 2026", Decimal("1234.5"), Decimal("-3")),
              MonthTotal("September 2026", Decimal(0), Decimal(0))]
    with app.app_context():
        old = app.jinja_env.from_string(OLD_MONTH_LOOP)
        for shown in (totals, totals[:1], []):
            assert str(month_rows(shown)) == old.render(totals=shown)
