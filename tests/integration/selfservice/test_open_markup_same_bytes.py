"""``open_markup`` writes the bytes the templates' loops wrote (issue 13).

The loops of ``me/open.html`` and ``me/_full_shifts.html`` as they were before
the rows were drawn in Python, rendered by Jinja with autoescape, against
``open_rows`` and ``full_rows`` for rows of every kind: one place or several,
a site named as its role, one organisation or several, on a waiting list or
not, a place held, and names holding every character HTML escapes.
"""
# ruff: noqa: E501 (the templates' loops, each line as it was)
from __future__ import annotations

from datetime import UTC, datetime
from itertools import product

from flask import render_template_string
from markupsafe import Markup

from volunteers.selfservice.open_list import FullRow, OpenRow
from volunteers.selfservice.open_markup import full_rows, open_rows

OPEN_LOOP = """{% for item in items %}
<article class="open-shift" id="shift-{{ item.id }}">
  <h2 class="when">{{ item.when }}</h2>
  <p><strong>{{ item.role }}</strong>{% if item.site != item.role %} at {{ item.site }}{% endif %}{% if many %} <span class="badge org">{{ item.org }}</span>{% endif %}</p>
  <p class="muted">{{ item.places_left }} {{ 'place' if item.places_left == 1 else 'places' }} left</p>
  <form method="post" action="{{ item.action }}">{{ csrf_field }}
    <button type="submit" aria-label="Sign up: {{ item.role }}, {{ item.when }}">Sign up</button>
  </form>
</article>
{% endfor %}"""

FULL_LOOP = """{% for item in full %}
  <article class="open-shift full" id="full-{{ item.id }}" aria-labelledby="full-{{ item.id }}-when">
    <h3 id="full-{{ item.id }}-when" class="when">{{ item.when }}</h3>
    <p><strong>{{ item.role }}</strong>{% if item.site != item.role %} at {{ item.site }}{% endif %}{% if many %} <span class="badge org">{{ item.org }}</span>{% endif %}</p>
    {% if item.entry_id %}
    <p class="muted">{% if item.entry_status == 'offered' %}A place is being held for you: see <a href="{{ my_shifts }}#waiting">your shifts</a>.{% else %}You're number {{ item.position }} on the waiting list.{% endif %}</p>
    <form method="post" action="{{ item.action }}">{{ csrf_field }}
      <button type="submit" class="secondary outline" aria-label="Leave the waiting list: {{ item.role }}, {{ item.when }}">Leave the waiting list</button></form>
    {% else %}
    <form method="post" action="{{ item.action }}">{{ csrf_field }}
      <button type="submit" class="secondary" aria-label="Join the waiting list: {{ item.role }}, {{ item.when }}">Join the waiting list</button></form>
    {% endif %}
  </article>
  {% endfor %}"""

NAMES = ("Shop", "Café & <Bar>", "\"Quoted\" 'site'", "Shop")
WHEN = "Tue 3 Nov, 22:00–06:00 (next day)"
START = datetime(2026, 11, 3, 22, tzinfo=UTC)
CSRF = Markup('<input type="hidden" name="csrf_token" value="t&amp;k">')  # as the csrf() macro gives it


def test_open_rows_are_the_loops_bytes(app) -> None:
    items = [OpenRow(n, START, WHEN, role, site, org, places, f"/me/shifts/{n}/sign-up?a=1&b=<2>")
             for n, (role, site, org, places) in enumerate(product(NAMES, NAMES, NAMES[1:3], (1, 2)))]
    with app.test_request_context():
        for many in (False, True):
            expected = render_template_string(OPEN_LOOP, items=items, csrf_field=CSRF, many=many)
            assert open_rows(items, CSRF, many) == expected


def test_full_rows_are_the_loops_bytes(app) -> None:
    entries = ((None, None, None), (7, "waiting", 3), (8, "offered", 1), (9, "waiting", None))
    full = [FullRow(n, START, WHEN, role, site, org, entry_id, status, position,
                    f"/me/waiting-list/{entry_id}/leave" if entry_id else f"/me/shifts/{n}/waiting-list")
            for n, (role, site, org, (entry_id, status, position)) in enumerate(product(NAMES, NAMES, NAMES[1:3],
                                                                                      entries))]
    with app.test_request_context():
        for many in (False, True):
            expected = render_template_string(FULL_LOOP, full=full, csrf_field=CSRF, my_shifts="/me/shifts?x=<1>",
                                              many=many)
            assert full_rows(full, CSRF, "/me/shifts?x=<1>", many) == expected
