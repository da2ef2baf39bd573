"""The application factory and its explicit registration lists."""
from __future__ import annotations

import logging
from pathlib import Path
from types import FunctionType, MethodType
from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_sqlalchemy.session import Session
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from config import DEV_SECRET_KEY, Config, running_from_flask_cli
from volunteers.api import blueprint as api_blueprint
from volunteers.api import errors as api_errors
from volunteers.api import models as api_models
from volunteers.api import webhook_events
from volunteers.api import webhook_models as webhook_models
from volunteers.auditing import blueprint as auditing_blueprint
from volunteers.autofill import blueprint as autofill_blueprint
from volunteers.cli import register_commands
from volunteers.contributions import blueprint as contributions_blueprint
from volunteers.contributions import models as contributions_models
from volunteers.contributions import reactions as contributions_reactions
from volunteers.core import blueprint as core_blueprint
from volunteers.core import connection_check, csrf_tokens, headers, static_assets, templating, unit_of_work
from volunteers.core import models as core_models
from volunteers.core.migration_hooks import render_item
from volunteers.core.session_cookie import RememberingSessionInterface, remembered_identifier
from volunteers.core.webparams import IdConverter, refuse_nul_bytes
from volunteers.extensions import csrf, db, limiter, login_manager, skip_the_limiter_on_reads
from volunteers.mail import blueprint as mail_blueprint
from volunteers.mail import models as mail_models
from volunteers.operations import blueprint as operations_blueprint
from volunteers.peersupport import blueprint as peersupport_blueprint
from volunteers.peersupport import load as peersupport_load
from volunteers.peersupport import models as peersupport_models
from volunteers.people import blueprint as people_blueprint
from volunteers.people import models as people_models
from volunteers.people.models import Membership, Person
from volunteers.people.sessions import signed_in
from volunteers.privacy import blueprint as privacy_blueprint
from volunteers.reports import blueprint as reports_blueprint
from volunteers.reports import models as reports_models
from volunteers.rota import blueprint as rota_blueprint
from volunteers.rota import changes as rota_changes
from volunteers.rota import cover_models as rota_cover_models
from volunteers.rota import models as rota_models
from volunteers.scheduler import maybe_start_in_process
from volunteers.selfservice import announcement_models as announcement_models
from volunteers.selfservice import blueprint as selfservice_blueprint
from volunteers.selfservice import waiting_list, waiting_list_pages
from volunteers.selfservice import waiting_list_models as waiting_list_models
from volunteers.settings import blueprint as settings_blueprint
from volunteers.wellbeing import blueprint as wellbeing_blueprint
from volunteers.wellbeing import models as wellbeing_models
from volunteers.wellbeing import reactions as wellbeing_reactions

log = logging.getLogger(__name__)

#: every feature's models, imported here so the metadata (and Alembic) sees all tables
MODELS = (contributions_models, core_models, mail_models, people_models, peersupport_models, reports_models,
          rota_models, rota_cover_models, wellbeing_models, api_models, webhook_models, announcement_models,
          waiting_list_models)


def create_app(config_class: type[Config] = Config, **overrides: Any) -> Flask:
    """Build the app: config, extensions, models, blueprints, CLI, errors, scheduler."""
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="static",
        instance_relative_config=True,
    )
    app.config.from_object(config_class)
    app.config.update(overrides)
    _refuse_insecure_production(app)
    trust_proxies(app)
    register_extensions(app)
    register_reactions()
    register_request_hooks(app)
    register_blueprints(app)
    register_cli(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_scheduler(app)
    remember_sync_functions(app)
    return app


#: how many functions' answers :func:`remember_sync_functions` keeps (the app's hooks, views and handlers: ~300)
KEPT_SYNC_ANSWERS = 1024


def remember_sync_functions(app: Flask) -> None:
    """Answer Flask's "is this an ``async def``?" once per function, not on every call.

    Flask passes every hook, view, error handler and context processor through
    ``app.ensure_sync`` each time it calls one (a dozen a request), and each time
    ``inspect.iscoroutinefunction`` unwrapped it and read its code flags
    (~0.001 ms apiece). A function's answer cannot change, so plain functions'
    answers are kept (at most :data:`KEPT_SYNC_ANSWERS`, then forgotten and
    kept afresh). A bound method (Flask-Login's and Flask-SQLAlchemy's hooks,
    two a request) is made afresh each time it is read, but whether it is an
    ``async def`` is its function's answer: where Flask handed one method of a
    function back unchanged, it hands every method of it back unchanged, so
    that is kept by the function. Anything else (a partial, a callable object)
    is asked as before. Flask documents ``ensure_sync`` as the method to override.
    """
    ask = app.ensure_sync
    known: dict[FunctionType, Any] = {}
    unchanged: dict[FunctionType, bool] = {}  # a method's function -> Flask hands its methods back as they are

    def ensure_sync(func: Any) -> Any:
        kind = type(func)
        if kind is MethodType and type(func.__func__) is FunctionType:
            as_it_is = unchanged.get(func.__func__)
            if as_it_is is None:
                made = ask(func)
                if len(unchanged) >= KEPT_SYNC_ANSWERS:
                    unchanged.clear()
                unchanged[func.__func__] = made is func
                return made
            return func if as_it_is else ask(func)
        if kind is not FunctionType:
            return ask(func)
        answer = known.get(func)
        if answer is None:
            answer = ask(func)
            if len(known) >= KEPT_SYNC_ANSWERS:
                known.clear()
            known[func] = answer
        return answer

    app.ensure_sync = ensure_sync  # type: ignore[method-assign]


def _refuse_insecure_production(app: Flask) -> None:
    """Refuse to serve in production with the development secret key.

    Command-line tools (``flask --app wsgi load assess`` …) still run, since
    they set no cookies and must work on a machine without SECRET_KEY.
    """
    production = not (app.debug or app.testing or app.config.get("DEBUG"))
    if production and app.config["SECRET_KEY"] == DEV_SECRET_KEY and not running_from_flask_cli():
        raise RuntimeError(
            "SECRET_KEY is the development default; set SECRET_KEY in the environment "
            "before serving in production"
        )


def trust_proxies(app: Flask) -> None:
    """Read the client's address and scheme through ``PROXY_COUNT`` proxies (HAProxy: 1).

    Each proxy appends the address it saw to X-Forwarded-For; ProxyFix takes
    the one written by the outermost trusted proxy, so a header the client
    sent itself is never believed.
    """
    count = int(app.config.get("PROXY_COUNT", 0))
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    app.session_interface = RememberingSessionInterface()  # Flask's signed cookies, the serializer built once
    db.init_app(app)
    with app.app_context():  # each engine's pooled connections checked before use (core.connection_check)
        for engine in db.engines.values():
            connection_check.watch(engine)
    register_migrations(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    # Flask-Login's own identifier of the browser (session protection), remembered rather than hashed per request
    generator = getattr(login_manager, "_session_identifier_generator", None)
    if generator is not None:  # a Flask-Login without it keeps its own way
        login_manager._session_identifier_generator = remembered_identifier(generator)
    csrf.init_app(app)
    csrf_tokens.checked_only_where_it_can_fail(app)  # a GET no longer looks up CSRF exemptions
    limiter.init_app(app)
    skip_the_limiter_on_reads(app)


def register_migrations(app: Flask) -> None:
    """Set up Flask-Migrate for ``flask db …`` and the tests, not for a web worker.

    Flask-Migrate imports Alembic and Mako (about 11 MB a process), which only
    migrations use; a gunicorn worker never runs one. ``flask db`` runs
    through the Flask command line, which ``running_from_flask_cli`` tells.
    """
    if not (running_from_flask_cli() or app.testing):
        return
    from flask_migrate import Migrate  # heavy: see tests/unit/architecture/test_heavy_imports.py

    Migrate(app, db, directory=str(_project_dir() / "migrations"), render_as_batch=True, render_item=render_item)


def _project_dir() -> Path:
    return Path(__file__).resolve().parent.parent


def register_reactions() -> None:
    """Who reacts to what across packages: the one list (see ``core.signals``).

    * rota announces schedule changes made through the ORM, at each flush;
    * wellbeing re-judges the load of the people announced, when the unit of work commits;
    * contributions records the attendance the shifts import reports;
    * peersupport's contact time and open cases count as load (a wellbeing load source), and
      supporters whose contacts or cases change are announced like a schedule change.
    * the API queues webhook events for shift and assignment changes, in the same transaction;
    * a released place is offered to the first eligible person on the shift's waiting list, at the commit.
    """
    rota_changes.watch(Session)
    wellbeing_reactions.connect(Session)
    contributions_reactions.connect()
    peersupport_load.register(Session)
    webhook_events.watch(Session)
    waiting_list.connect(Session)


def register_request_hooks(app: Flask) -> None:
    """Load the current membership before a request; commit once after it (the edge) if it wrote or may write."""
    app.before_request(refuse_nul_bytes)  # before anything reads the request: PostgreSQL text holds no NUL

    @login_manager.user_loader
    def load_person(session_id: str) -> Person | None:
        found = signed_in(session_id)  # None once the person's session version moved on
        if found is None:
            return None
        # read with the person: load_membership needs no query, and kept pages no statement for their marks
        g.loaded_memberships = found
        return found.person

    @app.before_request
    def load_membership() -> None:
        g_ = g._get_current_object()  # the proxies once, not once per attribute (every request pays for this)
        g_.membership = None
        g_.memberships = []
        g_.sign_in_marks = {}  # the organisations' change marks read with them (core.kept_text.mark_to_keep_by)
        g_.sign_in_transaction = None  # and the transaction they were read in
        user = current_user._get_current_object()
        if not user.is_authenticated:
            return
        loaded = g_.pop("loaded_memberships", None)
        if loaded is not None and loaded.person.id == user.id:
            memberships = loaded.memberships
            g_.sign_in_marks = loaded.marks
            g_.sign_in_transaction = loaded.transaction
        else:  # signed in some other way than the session loader (never by a page today): read them
            memberships = db.session.scalars(
                select(Membership)
                .where(Membership.person_id == user.id, Membership.status != "left")
                .options(joinedload(Membership.organisation))
                .order_by(Membership.id)
            ).all()
        g_.memberships = list(memberships)
        wanted = session.get("org_id")
        chosen = next((m for m in memberships if m.organisation_id == wanted), None)
        if chosen is None and memberships:
            chosen = memberships[0]
            session["org_id"] = chosen.organisation_id
        g_.membership = chosen

    unit_of_work.watch(Session)
    with app.app_context():
        reading_commits = unit_of_work.reads_end_by_commit(db.engines.values())  # not on SQLite: nothing to keep

    @app.after_request
    def commit_unit_of_work(response: Response) -> Response:
        """Commit once here; a failure rolls back; a read that wrote nothing ends without a commit or its hooks."""
        unit = db.session()  # the request's session, asked of the registry once (each db.session.x asks again)
        if not unit_of_work.needs_commit(request.method, unit):
            unit_of_work.end_uncommitted(unit, reading_commits)  # a close where the session ends with the request
        elif response.status_code >= 400:
            unit.rollback()
        else:
            unit.commit()
        return response

    headers.register(app)


def register_blueprints(app: Flask) -> None:
    """Register every feature's blueprints; each feature lists its URL rules in its ``blueprint.py``."""
    app.url_map.converters["int"] = IdConverter  # an id too big for the database is a 404, not a 500
    for feature in (core_blueprint, people_blueprint, rota_blueprint, autofill_blueprint,
                    selfservice_blueprint, contributions_blueprint, reports_blueprint, wellbeing_blueprint,
                    privacy_blueprint, auditing_blueprint, peersupport_blueprint, settings_blueprint,
                    operations_blueprint, mail_blueprint):
        for blueprint in feature.BLUEPRINTS:
            app.register_blueprint(blueprint)
    api_blueprint.register(app)  # /api/v1 through flask-smorest (its OpenAPI document), /me/tokens


def register_cli(app: Flask) -> None:
    register_commands(app)


def register_error_handlers(app: Flask) -> None:
    """Friendly pages for people, JSON for the API and health check."""

    def wants_json() -> bool:
        return request.path.startswith("/api/") or request.path == "/healthz"

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        db.session.rollback()
        if error.code is None:
            # a proxy exception has no status of its own; Flask itself returns these unhandled
            return error
        if isinstance(error, SecurityError):  # a Host outside TRUSTED_HOSTS: no page can link anywhere for it
            return Response("Bad Request: this site does not answer to that host name.\n", 400,
                            mimetype="text/plain")
        if request.path.startswith("/api/"):
            return api_errors.from_http_exception(error)
        if wants_json():
            return jsonify(error=error.name, message=error.description), error.code
        template = f"errors/{error.code}.html" if error.code in (403, 404, 413, 429) else "errors/generic.html"
        return render_template(template, error=error), error.code

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> ResponseReturnValue:
        if isinstance(error, HTTPException):
            return http_error(error)
        db.session.rollback()
        if app.testing:
            raise error
        if request.path.startswith("/api/"):
            return api_errors.from_unexpected(error)
        log.exception("unhandled error")
        if wants_json():
            return jsonify(error="Internal Server Error", message="Something went wrong."), 500
        return render_template("errors/500.html"), 500


def register_template_helpers(app: Flask) -> None:
    templating.register(app)
    app.jinja_env.globals["waiting_list_of"] = waiting_list_pages.panel_entries  # the shift panel (autofill) shows it
    static_assets.register(app)  # fingerprinted static URLs, cached for a year


def register_scheduler(app: Flask) -> None:
    maybe_start_in_process(app)
