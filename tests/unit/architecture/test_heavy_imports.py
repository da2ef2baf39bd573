"""Web workers do not import the heavy libraries that only a few paths use.

OR-Tools (and the numpy and pandas it brings), openpyxl, pygal, icalendar,
cryptography (its Rust bindings: 9 MB), segno, phonenumbers, Flask-Migrate
(Alembic, Mako) and ``holidays`` (3.7 MB) cost a gunicorn worker tens of
megabytes and a second of start-up, yet only the auto-rota (solving), the XLSX
export, the report charts, calendar apps fetching their feed, two-factor
secrets and QR codes, phone numbers, the scheduler process, ``flask db`` and
bank holidays outside 1990-2080 use them (the board reads a table of the
package's answers, ``rota/domain/bank_holiday_table.py``). So they
are imported inside the functions that use them (third-party imports inside
functions are allowed; ``test_dependencies`` forbids only ours there) or under
``TYPE_CHECKING`` for annotations. The first test reads the source, the second
serves pages in a fresh interpreter (other tests' imports would leak into this
one's ``sys.modules``), configured as a web worker is (not testing, not the
command line), and looks at what got imported.
"""
from __future__ import annotations

import ast
import json
import os
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

from tests import child

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("ortools", "openpyxl", "pygal", "pandas", "numpy", "flask_migrate", "alembic", "mako", "icalendar",
         "apscheduler", "cryptography", "segno", "phonenumbers", "holidays")


def _module_level_imports(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """Yield (line, module) for imports run when the module is imported (not in functions, not TYPE_CHECKING)."""
    def walk(body: list[ast.stmt]) -> Iterator[tuple[int, str]]:
        for node in body:
            if isinstance(node, ast.Import):
                yield from ((node.lineno, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield node.lineno, node.module
            elif isinstance(node, ast.If):
                if not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
                    yield from walk(node.body)
                yield from walk(node.orelse)
            elif isinstance(node, ast.Try):
                for part in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                    yield from walk(part)
            elif isinstance(node, ast.ClassDef | ast.With):
                yield from walk(node.body)
    yield from walk(tree.body)


def test_no_module_imports_a_heavy_library_at_import_time() -> None:
    eager = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in sorted((ROOT / "volunteers").rglob("*.py"))
        for line, module in _module_level_imports(ast.parse(path.read_text(encoding="utf-8")))
        if module.split(".")[0] in HEAVY
    ]
    assert not eager, "import these inside the functions that use them:\n" + "\n".join(eager)


SERVE = textwrap.dedent("""
    import json, sys
    from datetime import timedelta
    from config import Config
    from volunteers.app import create_app
    from volunteers.core.timeutil import local_date, utcnow
    from volunteers.extensions import db
    from tests import factories as f

    app = create_app(Config, SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="a-worker-secret", WTF_CSRF_ENABLED=False,
                     RATELIMIT_ENABLED=False, SCHEDULER_ENABLED=False, MAIL_BACKEND="none")
    assert not app.testing
    with app.app_context():
        db.create_all()
        org = f.make_org()
        volunteer = f.make_member(org, "v@example.org")
        f.make_member(org, "c@example.org", role="coordinator")
        day = local_date(utcnow(), org.timezone) + timedelta(days=2)
        shift = f.make_shift(org, f.make_role(org), f.make_site(org), day)
        f.put_on(shift, volunteer)
        db.session.commit()
        shift_id = shift.id
    statuses = {}
    for email, paths in (("v@example.org", ["/me/shifts", "/me/shifts/open"]),
                         ("c@example.org", ["/rota", f"/rota/shifts/{shift_id}"])):
        client = app.test_client()
        assert client.post("/login", data={"email": email, "password": f.DEFAULT_PASSWORD}).status_code == 302
        statuses.update({path: client.get(path).status_code for path in paths})
    heavy = sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[1:]))
    print(json.dumps({"statuses": statuses, "heavy": heavy}))
""")


def test_serving_pages_imports_no_heavy_library() -> None:
    env = {k: v for k, v in os.environ.items() if k != "FLASK_RUN_FROM_CLI"}  # a worker, not `flask …`
    done = child.run([sys.executable, "-c", SERVE, *HEAVY], cwd=ROOT, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(seen["statuses"].values()) == {200}, seen["statuses"]
    assert seen["heavy"] == [], f"a web worker imported {seen['heavy']} without using them"
