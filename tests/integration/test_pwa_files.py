"""The installable app's files: the worker at the root, the manifest and its icons, the hooks in every page's head."""
from __future__ import annotations

import json

from tests.factories import make_member, make_org


def test_the_service_worker_is_served_from_the_root_and_revalidated(client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache" and response.headers["Service-Worker-Allowed"] == "/"
    body = response.get_data(as_text=True)
    assert '"/me/shifts"' in body and "caches.delete(PAGES)" in body


def test_pages_link_the_manifest_and_stamp_when_they_were_made(client, auth, db, clock) -> None:
    org = make_org("tackley", "Tackley Village Shop")
    make_member(org, "sam@example.org", name="Sam Tolley")
    db.session.commit()
    signed_out = client.get("/login").get_data(as_text=True)
    assert 'rel="manifest" href="/static/manifest.webmanifest?v=' in signed_out
    assert '<meta name="signed-in"' not in signed_out and "/static/pwa.js?v=" in signed_out
    auth.login("sam@example.org")
    page = client.get("/me/shifts").get_data(as_text=True)
    assert '<meta name="signed-in" content="1">' in page
    assert f'<meta name="rendered-at" content="{clock.now.isoformat()}"' in page


def test_the_manifest_is_json_with_what_an_install_needs(client) -> None:
    with client.get("/static/manifest.webmanifest") as response:
        assert response.mimetype == "application/manifest+json"
        manifest = json.loads(response.get_data(as_text=True))
    assert (manifest["start_url"], manifest["display"], manifest["short_name"]) == ("/me/shifts", "standalone",
                                                                                    "My shifts")
    for icon in manifest["icons"]:
        with client.get("/static/" + icon["src"]) as response:
            assert response.status_code == 200 and response.mimetype == icon["type"]
    assert {icon["purpose"] for icon in manifest["icons"]} == {"any", "maskable"}
