"""Flask asks once per function, not per bound method, whether a hook is ``async def`` (``remember_sync_functions``).

Flask-Login's and Flask-SQLAlchemy's hooks are bound methods, made afresh each time Flask reads them: their
answer is kept by their function, and a method is handed back as it is only where Flask handed one back so.
"""
from __future__ import annotations

import pytest

from volunteers.extensions import limiter


@pytest.fixture()
def asked(monkeypatch) -> list[object]:
    """Every function Flask asks whether it is ``async def``, in order."""
    import flask.app

    found: list[object] = []
    real = flask.app.iscoroutinefunction

    def spy(func: object) -> bool:
        found.append(func)
        return real(func)

    monkeypatch.setattr(flask.app, "iscoroutinefunction", spy)
    return found


class _Hooks:
    def plain(self) -> str:
        return "plain"

    async def later(self) -> str:
        return "later"


def test_methods_of_one_function_are_asked_once_and_handed_back_as_they_are(app, asked) -> None:
    one, other = _Hooks(), _Hooks()

    first, second, third = one.plain, one.plain, other.plain  # three method objects of one function
    assert app.ensure_sync(first) is first and app.ensure_sync(second) is second and app.ensure_sync(third) is third
    assert len(asked) == 1


def test_an_async_method_is_still_flasks_to_wrap_every_time(app, asked, monkeypatch) -> None:
    monkeypatch.setattr(app, "async_to_sync", lambda func: ("wrapped", func))  # as with Flask's 'async' extra
    hooks = _Hooks()
    for _ in range(2):
        method = hooks.later
        assert app.ensure_sync(method) == ("wrapped", method)
    assert len(asked) == 2


def test_flask_asks_once_per_function_whether_it_is_async(app, asked) -> None:
    def plain() -> str:
        return "plain"

    async def later() -> str:
        return "later"

    assert app.ensure_sync(plain) is plain and app.ensure_sync(plain) is plain
    assert asked == [plain]
    with pytest.raises(RuntimeError, match="async"):  # still Flask's answer (without its 'async' extra here)
        app.ensure_sync(later)
    method = limiter.init_app  # a bound method of a function not asked before: handed back as it is
    assert app.ensure_sync(method) == method
