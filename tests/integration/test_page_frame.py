"""/people's and a person's page framed (``core.page_frame``: base.html kept as UTF-8) are the pages rendered.

Each view is compared with the same view rendered by ``render_template`` (as where templates may change): the
list, a person's page whose name needs escaping in the title, the page after a save (a flashed message), and
each organisation's own pages.
"""
from __future__ import annotations

import pytest

from tests.factories import make_member, make_org
from tests.page_text import MADE_AT, TOKENS
from volunteers.core import page_frame


@pytest.fixture()
def orgs(db):
    tackley = make_org("tackley", "Tackley Village Shop")
    make_member(tackley, "cora@example.org", role="coordinator", name="Cora Ordinator")
    ann = make_member(tackley, "ann@example.org", name="Ann <Archer> & \"Co\"")
    other = make_org("surestart", "Sure Start")
    make_member(other, "sue@example.org", role="coordinator", name="Sue")
    bea = make_member(other, "bea@example.org", name="Bea O'Brien")
    db.session.commit()
    return ann.id, bea.id


def _masked(response) -> str:
    assert response.status_code == 200
    return MADE_AT.sub("T", TOKENS.sub("TOKEN", response.get_data(as_text=True)))


def _same_framed_and_rendered(app, client, url: str) -> str:
    framed = [_masked(client.get(url)) for _ in range(2)]  # the frame made, then kept
    assert app.extensions[page_frame._FRAMES], "no frame was kept"
    app.jinja_env.auto_reload = True
    try:
        rendered = _masked(client.get(url))
    finally:
        app.jinja_env.auto_reload = False
    assert framed == [rendered, rendered]
    assert page_frame._TOP not in rendered and page_frame._TITLE not in rendered
    return rendered


def test_the_framed_pages_are_the_pages_rendered(app, client, auth, orgs) -> None:
    ann_id, bea_id = orgs
    auth.login("cora@example.org")
    assert "Ann &lt;Archer&gt;" in _same_framed_and_rendered(app, client, "/people")
    person = _same_framed_and_rendered(app, client, f"/people/{ann_id}")
    assert "<title>Ann &lt;Archer&gt; &amp; &#34;Co&#34; · volunteers</title>" in person
    saved = client.post(f"/people/{ann_id}", data={"name": "Ann Archer", "email": "ann@example.org",
                                                   "role": "volunteer", "status": "active"}, follow_redirects=True)
    assert "Saved." in _masked(saved)  # the flashed message: rendered, not framed
    assert "Saved." not in _same_framed_and_rendered(app, client, f"/people/{ann_id}")
    auth.logout()
    auth.login("sue@example.org")
    assert "<title>Bea O&#39;Brien · volunteers</title>" in _same_framed_and_rendered(app, client, f"/people/{bea_id}")
    assert "Sure Start" in _same_framed_and_rendered(app, client, "/people")
