"""Byte-identity check of the shift panel: every demo shift of both organisations, before and after a change.

Why: the panel's answers must not move when its work is cut (issue 13). Dump the panels of a checkout
before the change and of the working tree after it, on the same copy of the demo, then compare::

    git archive HEAD | tar -x -C /tmp/base
    (cd /tmp/base && PYTHONPATH=. ../work/.venv/bin/python benchmarks/shift_panel_identity.py dump DB before.json)
    .venv/bin/python benchmarks/shift_panel_identity.py dump DB after.json
    .venv/bin/python benchmarks/shift_panel_identity.py compare before.json after.json

Each shift's page; for a shift with a place to fill also "show all" (page and htmx partial), "show
more" (everyone eligible, whom the list without "show all" finds on its own) and both. Cancel a few
shifts of the copy first (``UPDATE shifts SET status='cancelled' ...``) to cover those.
The CSRF tokens and the rendered-at instant are blanked: they differ on every request.
"""
from __future__ import annotations

import difflib
import inspect
import json
import logging
import re
import sys
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent))
import profile_page  # noqa: E402 - a sibling script
from flask import Flask  # noqa: E402
from sqlalchemy import select  # noqa: E402

from volunteers.core.models import Organisation  # noqa: E402
from volunteers.core.timeutil import utcnow  # noqa: E402
from volunteers.extensions import db  # noqa: E402
from volunteers.rota.models import Shift  # noqa: E402

_BLANKS = (re.compile(r'(csrf_token"[^>]*value=")[^"]+'), re.compile(r'(name="csrf-token" content=")[^"]+'),
           re.compile(r'("X-CSRFToken": ")[^"]+'), re.compile(r'(<meta name="rendered-at" content=")[^>]*'))


def _blank(body: str) -> str:
    for pattern in _BLANKS:
        body = pattern.sub(r"\1X", body)
    return body


def _app(database: Path) -> Flask:
    """The production app over the file, whether ``profile_page.serving_app`` takes its path or a database URL."""
    serving: Any = profile_page.serving_app
    first = next(iter(inspect.signature(serving).parameters))
    return cast(Flask, serving(database if first == "path" else f"sqlite:///{database}", True))


def dump(database: Path, out: Path) -> None:
    app = _app(database)
    logging.disable(logging.CRITICAL)
    pages: dict[str, tuple[int, str]] = {}
    for slug in ("tackley", "surestart"):
        client = profile_page.signed_in(app, f"coordinator@{slug}.example")
        with app.app_context():
            org = db.session.scalars(select(Organisation).where(Organisation.slug == slug)).one()
            now = utcnow()
            shifts = db.session.execute(select(Shift.id, Shift.ends_at, Shift.status, Shift.filled, Shift.needed)
                                        .where(Shift.organisation_id == org.id).order_by(Shift.id)).all()
        for shift_id, ends_at, status, filled, needed in shifts:
            urls = [f"/rota/shifts/{shift_id}"]
            if status == "planned" and ends_at > now and filled < needed:
                urls += [f"/rota/shifts/{shift_id}?all=1", f"/rota/shifts/{shift_id}?more=1",
                         f"/rota/shifts/{shift_id}?more=1&all=1"]
            for url in urls:
                for htmx in (False, True) if url.endswith("?all=1") else (False,):
                    response = client.get(url, headers={"HX-Request": "true"} if htmx else {})
                    pages[f"{slug} {url} {htmx}"] = (response.status_code, _blank(response.get_data(as_text=True)))
    out.write_text(json.dumps(pages, sort_keys=True))
    print(len(pages), "panels")


def compare(before: Path, after: Path) -> int:
    a, b = json.loads(before.read_text()), json.loads(after.read_text())
    differ = sorted(key for key in a.keys() | b.keys() if a.get(key) != b.get(key))
    print(f"{len(a)} panels before, {len(b)} after, {len(differ)} differ")
    for key in differ[:3]:
        print(key, *difflib.unified_diff(a.get(key, (0, ""))[1].splitlines(), b.get(key, (0, ""))[1].splitlines(),
                                         lineterm="", n=1), sep="\n")
    return 1 if differ else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["dump"]:
        dump(Path(sys.argv[2]), Path(sys.argv[3]))
    elif sys.argv[1:2] == ["compare"]:
        raise SystemExit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        raise SystemExit(__doc__)
