"""URLs built once per worker and then read from memory (issue 13, ``core.urls``): the same text Flask builds."""
from __future__ import annotations

from typing import Any

from flask import Flask

from volunteers.core import urls


def _flask_url_for(app: Flask):
    return Flask.url_for.__get__(app)


def test_a_remembered_url_is_the_one_flask_builds_for_each_argument(app: Flask) -> None:
    flask_url_for = _flask_url_for(app)
    with app.test_request_context("/"):
        for endpoint, values in (("core.home", {}), ("people.edit_person", {"membership_id": 5}),
                                 ("people.edit_person", {"membership_id": 6}),
                                 ("people.list_people", {"sort": "name", "page": None}),
                                 ("people.list_people", {"sort": "name", "page": 2})):
            first = app.url_for(endpoint, **values)
            assert first == app.url_for(endpoint, **values) == flask_url_for(endpoint, **values)
        template_url_for: Any = app.jinja_env.globals["url_for"]
        assert template_url_for("people.edit_person", membership_id=7) == "/people/7"


def test_a_url_under_another_script_root_is_built_for_it(app: Flask) -> None:
    with app.test_request_context("/"):
        plain = app.url_for("core.home")
    with app.test_request_context("/", base_url="http://localhost/volunteers/"):
        mounted = app.url_for("core.home")
    assert (plain, mounted) == ("/", "/volunteers/")


def test_external_and_anchored_urls_are_built_each_time(app: Flask) -> None:
    with app.test_request_context("/", base_url="https://rota.example/"):
        assert app.url_for("core.home", _external=True) == "https://rota.example/"
        assert app.url_for("core.home", _anchor="main") == "/#main"
        assert app.url_for("core.home") == "/"
    with app.test_request_context("/", base_url="https://other.example/"):
        assert app.url_for("core.home", _external=True) == "https://other.example/"


def test_outside_a_request_nothing_is_kept(app: Flask) -> None:
    calls: list[str] = []

    def build(endpoint: str, **values: object) -> str:
        calls.append(endpoint)
        return "/" + endpoint

    url_for = urls.remembering(build, is_static=lambda endpoint: endpoint == "static", remember_static=False)
    with app.app_context():
        url_for("core.home")
        url_for("core.home")
    with app.test_request_context("/"):
        url_for("core.home")
        url_for("core.home")
        url_for("static", filename="app.css")  # files may change here: built each time
        url_for("static", filename="app.css")
        url_for("core.home", flag=True)  # True == 1: not a plain value, built each time
        url_for("core.home", flag=True)
    assert calls == ["core.home"] * 3 + ["static"] * 2 + ["core.home"] * 2


def test_a_worker_keeps_a_bounded_number_of_urls(app: Flask, monkeypatch) -> None:
    monkeypatch.setattr(urls, "LIMIT", 3)
    calls: list[object] = []

    def build(endpoint: str, **values: object) -> str:
        calls.append(values["n"])
        return f"/{values['n']}"

    url_for = urls.remembering(build, is_static=lambda endpoint: False, remember_static=True)
    with app.test_request_context("/"):
        assert [url_for("x", n=n) for n in (1, 2, 3, 1, 4, 1)] == ["/1", "/2", "/3", "/1", "/4", "/1"]
    assert calls == [1, 2, 3, 4, 1]  # the fourth URL started the memory again
