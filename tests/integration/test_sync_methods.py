"""Flask asks once per function, not per bound method, whether a hook is ``async def`` (``remember_sync_functions``).

Flask-Login's and Flask-SQLAlchemy's hooks are bound methods, made afresh each time Flask reads them: their
answer is kept by their function, and a method is handed back as it is only where Flask handed one back so.
"""
from __future__ import annotations


class _Hooks:
    def plain(self) -> str:
        return "plain"

    async def later(self) -> str:
        return "later"


def test_methods_of_one_function_are_asked_once_and_handed_back_as_they_are(app, monkeypatch) -> None:
    import flask.app

    asked: list[object] = []
    real = flask.app.iscoroutinefunction

    def spy(func: object) -> bool:
        asked.append(func)
        return real(func)

    monkeypatch.setattr(flask.app, "iscoroutinefunction", spy)
    one, other = _Hooks(), _Hooks()

    first, second, third = one.plain, one.plain, other.plain  # three method objects of one function
    assert app.ensure_sync(first) is first and app.ensure_sync(second) is second and app.ensure_sync(third) is third
    assert len(asked) == 1


def test_an_async_method_is_still_flasks_to_wrap_every_time(app, monkeypatch) -> None:
    import flask.app

    asked: list[object] = []
    real = flask.app.iscoroutinefunction

    def spy(func: object) -> bool:
        asked.append(func)
        return real(func)

    monkeypatch.setattr(flask.app, "iscoroutinefunction", spy)
    monkeypatch.setattr(app, "async_to_sync", lambda func: ("wrapped", func))  # as with Flask's 'async' extra
    hooks = _Hooks()
    for _ in range(2):
        method = hooks.later
        assert app.ensure_sync(method) == ("wrapped", method)
    assert len(asked) == 2
