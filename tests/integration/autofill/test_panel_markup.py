"""The panel's candidate rows written in Python are the bytes the template's loop wrote (issue 13).

The loop below is ``rota/_shift_panel.html``'s as it was; it is rendered with the app's filters beside
:func:`volunteers.autofill.panel_markup.candidate_rows` for rows with and without pledges (a month's pledge
rounding to nothing too), warnings of each severity, none, and names, messages, URLs and tokens needing
escaping, with "show all" on and off.
"""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from volunteers.autofill.panel_markup import candidate_rows
from volunteers.autofill.ranking import CandidateRow

OLD_LOOP = (  # the loop as it was, a line of the template a line here (the longest cut before a tag)
    '{% autoescape true %}    {% for r in listing.eligible %}\n'
    '      <tr{% if r.worst_warning in (\'warning\', \'critical\') %} class="warned"{% endif %}>\n'
    '        <th scope="row">{{ r.name }}</th>\n'
    "        <td>{{ r.week_hours|hours or '0 h' }}"
    '{% if r.pledge_week %} <span class="muted">of {{ r.pledge_week|hours }}</span>{% endif %}</td>\n'
    "        <td>{{ r.month_hours|hours or '0 h' }}"
    '{% if r.pledge_month %} <span class="muted">of {{ r.pledge_month|round(0)|hours }}</span>'
    '{% endif %}</td>\n'
    '        <td>'
    '{% for w in r.warnings %}<span class="badge sev-{{ w.severity }}">{{ w.severity }}'
    '</span> {{ w.message }}<br>{% else %}<span class="muted">No load warnings</span>'
    '{% endfor %}</td>\n'
    '        <td><form method="post" action="{{ assign_url }}" class="inline"\n'
    '                  hx-post="{{ assign_url }}" hx-target="#panel">\n'
    '          <input type="hidden" name="csrf_token" value="{{ token }}">\n'
    '          <input type="hidden" name="membership_id" value="{{ r.membership_id }}">\n'
    '          {% if show_all %}<input type="hidden" name="all" value="1">{% endif %}\n'
    '          <button type="submit" class="small" aria-label="Assign {{ r.name }}">Assign</button>'
    '</form></td>\n'
    '      </tr>\n'
    '    {% endfor %}{% endautoescape %}'
)


def _warning(severity: str, message: str) -> SimpleNamespace:
    return SimpleNamespace(severity=severity, message=message)


ROWS = [
    CandidateRow(1, "Ann Archer", 4.0, 0.0, 0.0, 17.4),
    CandidateRow(22, "O'Brien & <Sons> \"Jo\"", None, 3.5, 12.25, None,
                 warnings=[_warning("notice", "a <b>notice</b> & more")]),
    CandidateRow(333, "Bea", 0.1, 1234.5, 0.25, 0.3, warnings=[_warning("warning", "7 days in a row"),
                                                              _warning("critical", "11 h 'rest' \"short\"")]),
    CandidateRow(4, "Cy", 2.5, 0.333333, 7.0, 10.9, warnings=[_warning("critical", "x")]),
    CandidateRow(5, "Di", 0.0, 2.0, 3.0, 0.0),
]


@pytest.mark.parametrize("show_all", [False, True])
@pytest.mark.parametrize("rows", [ROWS, [], ROWS[1:2]])
def test_the_rows_are_the_template_loops_bytes(app, show_all, rows) -> None:
    url, token = "/rota/shifts/7/assign?a=1&b=<2>", "tok\"en'&<>"
    with app.app_context():
        old = app.jinja_env.from_string(OLD_LOOP).render(listing=SimpleNamespace(eligible=rows), assign_url=url,
                                                         token=token, show_all=show_all)
        new = app.jinja_env.from_string("{% autoescape true %}    {{ rows }}{% endautoescape %}").render(
            rows=candidate_rows(rows, url, token, show_all))
    assert new == old
    assert rows == [] or "&lt;Sons&gt;" in new or "Bea" not in new


@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("field_name", [None, "xsrf"])
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("tag_first", [False, True])
def test_the_needed_forms_hidden_tag_is_the_forms(app, monkeypatch, enabled, field_name, method, tag_first) -> None:
    """The panel's ``needed_form`` writes what ``NeededForm(needed=…).hidden_tag()`` wrote, CSRF on or off."""
    from volunteers.autofill.panel_views import NeededFormTag
    from volunteers.rota.forms import NeededForm

    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", enabled)
    if field_name:
        monkeypatch.setitem(app.config, "WTF_CSRF_FIELD_NAME", field_name)
    with app.test_request_context("/rota/shifts/7/needed", method=method, data={"needed": "5"}):
        if tag_first:
            new = NeededFormTag().hidden_tag()
            old = NeededForm(needed=3).hidden_tag()
        else:
            old = NeededForm(needed=3).hidden_tag()
            new = NeededFormTag().hidden_tag()
    assert isinstance(new, type(old))
    assert str(new) == str(old)
    assert (f'name="{field_name or "csrf_token"}"' in new) == enabled
