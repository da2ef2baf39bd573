"""Static files: fingerprinted URLs that browsers keep for a year (issue 13, ``core.static_assets``)."""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from tests.factories import make_member, make_org
from volunteers.core.static_assets import MAX_AGE_S, fingerprint

STATIC = Path(__file__).resolve().parents[2] / "volunteers" / "static"
WELLBEING_STATIC = Path(__file__).resolve().parents[2] / "volunteers" / "wellbeing" / "static"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def test_pages_link_static_files_by_their_fingerprint(client) -> None:
    page = client.get("/login").get_data(as_text=True)

    assert f'href="/static/app.css?v={_sha(STATIC / "app.css")}"' in page
    assert f'src="/static/app.js?v={_sha(STATIC / "app.js")}"' in page
    assert all("?v=" in url for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', page))


def test_a_fingerprinted_file_is_kept_for_a_year(client) -> None:
    response = client.get(f"/static/app.css?v={_sha(STATIC / 'app.css')}", buffered=True)  # read, and closed

    assert response.status_code == 200
    assert response.cache_control.max_age == MAX_AGE_S == 31536000
    assert response.cache_control.immutable and response.cache_control.public


def test_without_the_current_fingerprint_the_browser_asks_again(client) -> None:
    for url in ("/static/app.css", "/static/app.css?v=000000000000"):
        response = client.get(url, buffered=True)
        assert response.status_code == 200
        assert response.cache_control.max_age is None and not response.cache_control.immutable, url
        assert response.headers.get("ETag"), url  # so the question is cheap (a 304)


def test_a_blueprints_static_file_is_fingerprinted_and_cached_for_a_signed_in_person(db, client) -> None:
    org = make_org("tackley")
    make_member(org, "coordinator@tackley.example", role="coordinator")
    db.session.commit()
    client.post("/login", data={"email": "coordinator@tackley.example", "password": "correct horse battery"})
    page = client.get("/warnings").get_data(as_text=True)
    url = f"/warnings/static/wellbeing.css?v={_sha(WELLBEING_STATIC / 'wellbeing.css')}"
    assert url in page

    response = client.get(url, buffered=True)

    assert response.status_code == 200
    assert response.cache_control.immutable and "no-store" not in response.headers["Cache-Control"]


def test_a_changed_file_gets_a_new_fingerprint(tmp_path: Path) -> None:
    asset = tmp_path / "site.css"
    asset.write_text("body { color: black }", encoding="utf-8")
    before = fingerprint(str(tmp_path), "site.css")
    asset.write_text("body { color: navy }", encoding="utf-8")
    os.utime(asset, ns=(asset.stat().st_atime_ns, asset.stat().st_mtime_ns + 1_000_000))

    assert before is not None and fingerprint(str(tmp_path), "site.css") not in (None, before)
    assert fingerprint(str(tmp_path), "../site.css") is None  # nothing outside the folder
    assert fingerprint(str(tmp_path), "missing.css") is None
