"""Jinja filters and globals: local times in the organisation's zone, nav state."""
from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterable, KeysView, MutableMapping
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask import Flask, g
from flask.templating import _default_template_ctx_processor

from volunteers.core import csrf_tokens, layout, numbers, timeutil


def _org_zone() -> ZoneInfo:
    membership = getattr(g, "membership", None)
    name = membership.organisation.timezone if membership is not None else "Europe/London"
    return ZoneInfo(name)


def local_dt(value: datetime | None, fmt: str = "%a %-d %b %Y, %H:%M") -> str:
    """Format an aware UTC instant in the current organisation's zone."""
    if value is None:
        return ""
    return value.astimezone(_org_zone()).strftime(fmt)


def local_time(value: datetime | None) -> str:
    return local_dt(value, "%H:%M")


def nice_date(value: date | None, fmt: str = "%a %-d %b %Y") -> str:
    return value.strftime(fmt) if value else ""


def hours(value: Any) -> str:
    """Format hours the way people say them: 3 h, 3.5 h, 0.25 h, 1,234.5 h ("" for none: ``x|hours or '0 h'``)."""
    return numbers.hours(value)


def money(value: Any, currency: str | None = None) -> str:
    """Format an amount in the current organisation's currency (or ``currency``): £1,234.56."""
    if currency is None:
        membership = getattr(g, "membership", None)
        currency = membership.organisation.currency if membership is not None else "GBP"
    return numbers.money(value, currency)


def rendered_at() -> datetime:
    """Return now (UTC): the page stamps when it was made, for the offline copy's "last updated at"."""
    return timeutil.utcnow()


def _csrf_token(field_name: str) -> Any:
    """Templates' ``csrf_token()``: Flask-WTF's token for the request, kept in ``g``, signed by ``core.csrf_tokens``.

    A page asks for it up to six times (the meta tag, htmx's header, each form);
    after the first, ``generate_csrf`` read its settings from the config again
    only to return ``g``'s token (~0.01 ms a call): that token is read here first.
    """
    def csrf_token() -> str:
        token = g.get(field_name)
        return token if token is not None else csrf_tokens.request_token(field_name=field_name)

    return csrf_token


def _without_csrf_context_processor(app: Flask) -> None:
    """Drop CSRFProtect's context processor, which gave every render ``generate_csrf`` as ``csrf_token``.

    A context processor's value hides the global of the same name, so pages called
    ``generate_csrf`` (settings read again, ~0.01 ms a call) instead of :func:`_csrf_token`;
    it also ran on every render. Its two names stay as globals (``csrf_token`` below,
    ``csrf_meta_tag`` as CSRFProtect set it), which imported macros see too.
    """
    processors = app.template_context_processors[None]
    processors[:] = [f for f in processors if getattr(f, "__module__", "") != "flask_wtf.csrf"]


_T = TypeVar("_T")


class _TemplateGlobalNames(KeysView[str]):
    """The names of a template's globals, subtracted from a set at the set's speed."""

    def __init__(self, chain: TemplateGlobals) -> None:
        super().__init__(chain)
        self._chain = chain

    def __rsub__(self, other: Iterable[_T]) -> set[_T]:
        # the ABC's answer ({name for name in other if name not in self}) without a generator walking the
        # chain of maps for each name
        return set(other) - set(self._chain)


class TemplateGlobals(ChainMap[str, Any]):
    """A template's globals over the environment's (Jinja's ``make_globals``), read without an exception per name.

    Each page's render copies its template's globals (``dict(globals, **vars)``)
    and each ``{% from "_macros.html" import … %}`` asks which of the importing
    page's global names the macros' template lacks. On Jinja's ``ChainMap``
    both were slow for an ordinary reason: a template's own globals are empty,
    so each of the ~20 names was first looked for there and missed with a
    ``KeyError``, and each name of the difference walked the chain in a
    generator; ~0.04 ms an import and ~0.02 ms a render where the machine was
    busy. Same maps, same answers, same life (the environment's globals are
    still read through, so a global set after a template loaded is seen).
    """

    def __getitem__(self, key: str) -> Any:
        for mapping in self.maps:
            if key in mapping:
                return mapping[key]
        return self.__missing__(key)

    def keys(self) -> _TemplateGlobalNames:
        return _TemplateGlobalNames(self)


def _quick_template_globals(app: Flask) -> None:
    """Give every template Jinja's globals map as a :class:`TemplateGlobals` (before any template is loaded)."""
    env = app.jinja_env

    def make_globals(d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return TemplateGlobals({} if d is None else d, env.globals)  # Jinja's own: ChainMap(d or {}, env.globals)

    env.make_globals = make_globals  # type: ignore[method-assign]


def _default_context_once(app: Flask) -> None:
    """Give each render Flask's ``g``, ``request`` and ``session`` once, not once more per blueprint.

    Flask starts every blueprint's context processors with its default one, and
    a blueprint's page ran it after the app's: the same three names set again to
    the same objects, on every render. The blueprints' copies are dropped; a
    processor a blueprint adds itself stays. Call it once the blueprints are registered.
    """
    processors = app.template_context_processors
    for name in [name for name in processors if name is not None]:
        kept = [f for f in processors[name] if f is not _default_template_ctx_processor]
        if kept:
            processors[name] = kept
        else:
            del processors[name]


def register(app: Flask) -> None:
    _quick_template_globals(app)
    # after CSRFProtect.init_app, which made generate_csrf the templates' csrf_token
    app.jinja_env.globals["csrf_token"] = _csrf_token(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    _without_csrf_context_processor(app)
    _default_context_once(app)  # after register_blueprints (create_app's order)
    layout.register(app)  # base.html's head links, time stamp, header and menu: page_top()
    app.jinja_env.globals["rendered_at"] = rendered_at
    app.jinja_env.filters["local_dt"] = local_dt
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["nice_date"] = nice_date
    app.jinja_env.filters["hours"] = hours
    # numbers people read: the house style of core.numbers (pages and e-mails alike)
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["percent"] = numbers.percent
    app.jinja_env.filters["whole"] = numbers.count  # not "count": that is Jinja's own (length)
    app.jinja_env.filters["number"] = numbers.number
