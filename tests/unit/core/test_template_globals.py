"""Templates' globals (core.templating.TemplateGlobals): Jinja's ChainMap's answers, read faster."""
from __future__ import annotations

from collections import ChainMap
from typing import Any

from flask import Flask
from jinja2 import DictLoader, Environment

from volunteers.core.templating import TemplateGlobals


def test_the_maps_answers_are_the_chain_maps() -> None:
    own: dict[str, Any] = {"a": 1}
    env: dict[str, Any] = {"a": 0, "b": 2, "c": None}
    quick, plain = TemplateGlobals(own, env), ChainMap(own, env)
    assert dict(quick) == dict(plain) == {"a": 1, "b": 2, "c": None}
    assert quick["a"] == 1 and quick["c"] is None and quick.get("d", "none") == "none"
    assert {"a", "b", "x", "y"} - quick.keys() == {"a", "b", "x", "y"} - plain.keys() == {"x", "y"}
    assert set(quick.keys()) == set(plain.keys()) and "b" in quick
    env["d"] = 4  # the environment's globals are read through, as Jinja's map reads them
    assert quick["d"] == 4 and {"d"} - quick.keys() == set()
    try:
        quick["missing"]
    except KeyError as error:
        assert error.args == ("missing",)
    else:
        raise AssertionError("no KeyError")


TEMPLATES = {"page.html": '{% from "macros.html" import hello %}{{ hello() }} {{ late }}',
             "macros.html": "{% macro hello() %}hello {{ late }} {{ only }}{% endmacro %}"}


def test_every_template_of_the_app_gets_them_and_imports_answer_as_with_jinjas_own(app: Flask) -> None:
    plain = Environment(loader=DictLoader(TEMPLATES), autoescape=True)  # as the app escapes .html
    env = app.jinja_env
    loader = env.loader
    env.loader = DictLoader(TEMPLATES)
    try:
        page = env.get_template("page.html")
        assert isinstance(page.globals, TemplateGlobals)
        answers = []
        for jinja in (env, plain):
            first = jinja.get_template("page.html").render()
            jinja.globals["late"] = "there"  # set after the template loaded: still seen, by the page and its import
            later = jinja.get_template("page.html").render()
            own = jinja.get_template("page.html", globals={"late": "mine", "only": "page's"}).render()
            answers.append((first, later, own))
        assert answers[0] == answers[1]
        assert answers[0][2] == "hello there page&#39;s mine"  # the page's own globals reach its import
    finally:
        env.loader = loader
        env.globals.pop("late", None)
        if env.cache is not None:
            env.cache.clear()
