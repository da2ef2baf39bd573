"""``me_markup`` writes the bytes the loops of ``me/shifts.html`` wrote (issue 13).

The "Coming up" and "Recent shifts" loops as they were before the cards were
drawn in Python, rendered by Jinja with autoescape, against ``upcoming_cards``
and ``past_rows`` for cards of every kind: first or not, started or not, today
or another day, a site named as its role, with an address or not, others on or
not, each kind of pending offer, in time to cancel or not, missed, one
organisation or several, and names holding every character HTML escapes.
"""
# ruff: noqa: E501 (the template's loops, each line as it was)
from __future__ import annotations

from datetime import UTC, datetime
from itertools import product
from types import SimpleNamespace

from flask import render_template_string
from markupsafe import Markup

from volunteers.rota.queries import MyPlace
from volunteers.selfservice.me_cards import ShiftCard
from volunteers.selfservice.me_markup import past_rows, upcoming_cards

UPCOMING_LOOP = """{% for c in upcoming %}{% set a = c.assignment %}
  <article class="my-shift{% if loop.first %} next{% endif %}" id="place-{{ a.id }}" aria-labelledby="place-{{ a.id }}-when">
    {% if loop.first %}<p class="eyebrow">{{ 'On now' if c.started else 'Your next shift' }}</p>{% endif %}
    <h3 id="place-{{ a.id }}-when" class="when">{{ c.day }}{% if c.day != c.date %} <span class="muted">{{ c.date }}</span>{% endif %}, {{ c.time }}</h3>
    <p class="what"><strong>{{ c.role }}</strong>{% if c.site != c.role %} at {{ c.site }}{% endif %}{% if c.address %}, {{ c.address }}{% endif %}{% if many %} <span class="badge org">{{ c.org.name }}</span>{% endif %}</p>
    <p class="muted">{% if c.others %}With {{ c.others|join(', ') }}.{% else %}Nobody else is on yet.{% endif %}</p>
    {% if c.offer %}
      <div class="pending" role="status">
        {% if c.offer.kind == 'cancel_request' %}You asked to be released; your coordinator will decide, and others have been asked to cover. You're on it until then.
        {% elif c.offer.status == 'taken' %}Someone has taken your offer; waiting for your coordinator to approve the swap.
        {% else %}You offered this shift to {{ c.offered_to or 'anyone who can do it' }}. You're on it until someone takes it.{% endif %}
        <form method="post" action="{{ c.withdraw_url }}">{{ csrf_field }}
          <button type="submit" class="secondary outline" aria-label="Withdraw {{ 'request' if c.offer.kind == 'cancel_request' else 'offer' }}: {{ c.role }}, {{ c.date }}">Withdraw {{ 'request' if c.offer.kind == 'cancel_request' else 'offer' }}</button>
        </form>
      </div>
    {% endif %}
    {% if not c.started and not (c.offer and c.offer.kind == 'cancel_request') %}
    <div class="actions">
      <a role="button" class="secondary outline" href="{{ c.cancel_url }}" aria-label="Can't make it: {{ c.role }}, {{ c.date }}">Can't make it</a>
      {% if not c.offer %}<a role="button" class="secondary outline" href="{{ c.offer_url }}" aria-label="Offer to someone: {{ c.role }}, {{ c.date }}">Offer to someone</a>{% endif %}
    </div>
    <p class="muted small">{% if c.cancel_in_time %}You can cancel yourself until {{ c.cutoff }}.{% else %}Within the notice period: cancelling asks your coordinator.{% endif %}</p>
    {% endif %}
  </article>
  {% endfor %}"""

PAST_LOOP = """{% for c in past %}
    <li>{{ c.date }}, {{ c.time }}: {{ c.role }}{% if c.assignment.status == 'no_show' %} (missed){% endif %}{% if many %} · {{ c.org.name }}{% endif %}</li>
  {% endfor %}"""

NAMES = ("Shop", "Café & <Bar>", "\"Quoted\" 'site'")
START = datetime(2026, 11, 3, 22, tzinfo=UTC)
CSRF = Markup('<input type="hidden" name="csrf_token" value="t&amp;k">')  # as the csrf() macro gives it
OFFERS = (None, SimpleNamespace(id=4, kind="cancel_request", status="open"),
          SimpleNamespace(id=5, kind="swap", status="taken"), SimpleNamespace(id=6, kind="swap", status="open"))


def _cards() -> list[ShiftCard]:
    cards = []
    kinds = product(NAMES, NAMES[:2], (None, "1 <High> St"), ((), ("Ann",), ("Bo & Co", "<Cy>")), OFFERS,
                    (None, "Dee's"), (False, True), (False, True), ("Today", "Tue 3 Nov"), ("confirmed", "no_show"))
    for n, (role, site, address, others, offer, named, started, in_time, day, status) in enumerate(kinds):
        if n % 7:
            continue  # a spread of the kinds: every value of each appears
        place = MyPlace(n, status, 3, 1, 40 + n, START, START, role, site, address, "planned")
        cards.append(ShiftCard(
            assignment=place, org=SimpleNamespace(name=NAMES[n % 3]), day=day, date="Tue 3 Nov",  # type: ignore[arg-type]
            time="22:00–06:00 (next day)", role=role, site=site, address=address, others=list(others),
            offer=offer, cancel_in_time=in_time, cutoff="Mon 2 Nov, <22:00>", started=started,  # type: ignore[arg-type]
            offered_to=named, cancel_url=f"/me/places/{n}/cancel?a=1&b=<2>", offer_url=f"/me/places/{n}/offer",
            withdraw_url=f"/me/offers/{n}/withdraw"))
    return cards


def test_upcoming_cards_are_the_loops_bytes(app) -> None:
    cards = _cards()
    with app.test_request_context():
        for many in (False, True):
            for shown in (cards, cards[:1], cards[5:]):
                expected = render_template_string(UPCOMING_LOOP, upcoming=shown, csrf_field=CSRF, many=many)
                assert upcoming_cards(shown, CSRF, many) == expected


def test_past_rows_are_the_loops_bytes(app) -> None:
    cards = _cards()
    with app.test_request_context():
        for many in (False, True):
            assert past_rows(cards, many) == render_template_string(PAST_LOOP, past=cards, many=many)
