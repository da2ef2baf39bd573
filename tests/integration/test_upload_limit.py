"""Uploads are capped (MAX_CONTENT_LENGTH, 5 MB): a larger one gets a friendly 413 page at once, importing nothing."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from tests.factories import make_member, make_org
from volunteers.people.models import Person
from volunteers.rota.models import Shift

TEN_MB = 10 * 1024 * 1024


@pytest.fixture()
def coordinator(client, auth, db):
    org = make_org("tackley", "Tackley Village Shop")
    make_member(org, "coordinator@tackley.example", role="coordinator")
    db.session.commit()
    auth.login("coordinator@tackley.example")
    return client


def multipart(csv: bytes, filename: str) -> tuple[bytes, str]:
    """Return a form posting ``csv`` as its ``file`` field, built in memory (no temporary file to leak)."""
    boundary = "----crafted-upload"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + csv + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def big_csv() -> bytes:
    row = b"Ann Archer,ann@example.org\n"
    return b"name,email\n" + row * (TEN_MB // len(row) + 1)


def test_the_limit_is_five_megabytes(app) -> None:
    assert app.config["MAX_CONTENT_LENGTH"] == 5 * 1024 * 1024


@pytest.mark.parametrize("url, model", [("/people/import", Person), ("/rota/import", Shift)])
def test_a_ten_megabyte_upload_is_a_friendly_413_and_imports_nothing(coordinator, db, url, model) -> None:
    before = db.session.scalar(select(func.count()).select_from(model))
    began = time.monotonic()
    body, content_type = multipart(big_csv(), "people.csv")
    response = coordinator.post(url, data=body, content_type=content_type)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "That file is too large" in page and "at most 5 MB" in page
    assert time.monotonic() - began < 10
    assert db.session.scalar(select(func.count()).select_from(model)) == before


def test_an_upload_under_the_limit_is_still_read(coordinator) -> None:
    body, content_type = multipart(b"name,email\nAnn Archer,ann@example.org\n", "people.csv")
    response = coordinator.post("/people/import", data=body, content_type=content_type)
    assert response.status_code in (200, 302)
