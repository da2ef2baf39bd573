"""/rota/series' kept content (``rota.series_views``) is the list made afresh, after every change it shows.

Each view of a kept list is compared with the same view made after the kept lists are dropped and rendered
without a frame: a series added, edited (skipped dates), its role and site renamed, another organisation's
coordinator (the same ids of rows in another organisation's database would be the same key), and a coordinator
limited to some sites beside one who is not.
"""
from __future__ import annotations

import re
from datetime import date, time

from tests.factories import make_member, make_org, make_role, make_site
from tests.page_text import MADE_AT as _MADE_AT
from volunteers.extensions import db as _db
from volunteers.rota.models import CoordinatorSite, ShiftSeries
from volunteers.rota.series_views import SERIES_PAGES

_TOKENS = re.compile(r'(?<=csrf-token" content=")[^"]+|(?<="X-CSRFToken": ")[^"]+')


def _masked(response) -> str:
    assert response.status_code == 200
    return _MADE_AT.sub("T", _TOKENS.sub("TOKEN", response.get_data(as_text=True)))


def _same_kept_and_afresh(app, client) -> str:
    served = [_masked(client.get("/rota/series")) for _ in range(2)]
    assert SERIES_PAGES.texts(), "nothing was kept"
    SERIES_PAGES.forget()
    app.jinja_env.auto_reload = True  # rendered as always: no frame
    try:
        afresh = _masked(client.get("/rota/series"))
    finally:
        app.jinja_env.auto_reload = False
    assert served == [afresh, afresh]
    return afresh


def _weekly(org_id: int, role_id: int, site_id: int, start: time) -> ShiftSeries:
    series = ShiftSeries(organisation_id=org_id, role_id=role_id, site_id=site_id, rrule="FREQ=WEEKLY;BYDAY=TU",
                         starts_on=date(2030, 1, 1), start_time=start, end_time=time(start.hour + 2))
    _db.session.add(series)
    _db.session.commit()
    return series


def test_the_kept_list_follows_every_change_it_shows(app, client, auth, rota) -> None:
    auth.login("coordinator@tackley.example")
    assert "No series yet." in _same_kept_and_afresh(app, client)
    client.get("/rota/series")
    series = _weekly(rota.org.id, rota.role.id, rota.site.id, time(9))
    assert "09:00" in _masked(client.get("/rota/series"))
    _same_kept_and_afresh(app, client)
    series.exdates = ["2030-01-08"]
    _db.session.commit()
    assert "skips 2030-01-08" in _masked(client.get("/rota/series"))
    _same_kept_and_afresh(app, client)
    rota.role.name, rota.site.name = "Till <and> counter", "Church hall"
    _db.session.commit()
    page = _masked(client.get("/rota/series"))
    assert "Till &lt;and&gt; counter" in page and "Church hall" in page
    assert page == _same_kept_and_afresh(app, client)


def test_each_organisation_and_each_coordinators_sites_have_their_own_list(app, client, auth, rota) -> None:
    _weekly(rota.org.id, rota.role.id, rota.site.id, time(9))
    other = make_org("surestart", "Sure Start")
    make_member(other, "sue@example.org", role="coordinator")
    limited = make_member(other, "gail@example.org", role="coordinator")
    role, ward, helpline = make_role(other, "Ward visit"), make_site(other, "Ward"), make_site(other, "Helpline")
    _weekly(other.id, role.id, ward.id, time(13))
    _weekly(other.id, role.id, helpline.id, time(15))
    _db.session.add(CoordinatorSite(organisation_id=other.id, membership_id=limited.id, site_id=ward.id))
    _db.session.commit()
    auth.login("coordinator@tackley.example")
    _same_kept_and_afresh(app, client)
    client.get("/rota/series")
    auth.logout()
    auth.login("sue@example.org")
    page = _masked(client.get("/rota/series"))
    assert "Ward visit" in page and "Helpline" in page and "09:00" not in page
    assert page == _same_kept_and_afresh(app, client)
    client.get("/rota/series")
    auth.logout()
    auth.login("gail@example.org")  # limited to the ward: the helpline's series is not hers
    page = _masked(client.get("/rota/series"))
    assert "13:00–15:00" in page and "15:00–17:00" not in page
    assert page == _same_kept_and_afresh(app, client)
