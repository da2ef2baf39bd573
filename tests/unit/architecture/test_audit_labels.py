"""Every action the code writes to the audit trail has plain words on ``/audit``.

The page falls back to the stored code (``peersupport.view_case``) for an
action without a label, so a missing label never hides an entry — but an
admin reading the trail should not have to decode it. This reads every
``audit.record(...)`` call in the package and checks its action (the third
argument) against :data:`volunteers.auditing.labels.ACTIONS`. An action made
with an f-string (``f"rota.approve_{offer.kind}"``) needs a label for at
least one action starting with its fixed part. A module constant
(``ERASE_ACTION``) is read from its module; a helper that forwards its own
``action`` argument to ``audit.record`` is listed in :data:`FORWARDERS`, and
its callers' actions are checked instead.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from volunteers.auditing.labels import ACTIONS

ROOT = Path(__file__).resolve().parents[3] / "volunteers"

#: helpers that pass their caller's action on: name → (index of the action argument or None for keyword
#: only, the one file that calls it or None for any); their ``action="…"`` keywords and defaults count too
FORWARDERS: dict[str, tuple[int | None, str | None]] = {
    "record_for_person": (1, None),
    "_refused": (1, "volunteers/people/auth_views.py"),
    "disable": (None, None),
}


def _constants(tree: ast.Module) -> dict[str, ast.expr]:
    """Return the module-level ``NAME = "text"`` assignments of a module."""
    return {target.id: node.value for node in tree.body if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name)}


def _called(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "audit":
        return func.attr
    if isinstance(func, ast.Attribute | ast.Name):
        return func.attr if isinstance(func, ast.Attribute) else func.id
    return None


def _forwards(name: str | None, where: str) -> bool:
    return name in FORWARDERS and FORWARDERS[name][1] in (None, where)


def _record_calls() -> Iterator[tuple[str, int, ast.expr]]:
    """Yield (file, line, action) for each ``audit.record(...)`` call, forwarder call and ``action`` default."""
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _constants(tree)
        where = str(path.relative_to(ROOT.parent))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and _forwards(node.name, where):
                args = node.args.args[-len(node.args.defaults):] if node.args.defaults else []
                pairs = [*zip(args, node.args.defaults, strict=True),
                         *zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True)]
                yield from ((where, node.lineno, default) for arg, default in pairs
                            if arg.arg == "action" and default is not None)
            if not isinstance(node, ast.Call):
                continue
            name = _called(node)
            is_record = (name == "record" and isinstance(node.func, ast.Attribute)
                         and isinstance(node.func.value, ast.Name) and node.func.value.id == "audit")
            if not is_record and not _forwards(name, where):
                continue
            index = 2 if is_record else FORWARDERS[name or ""][0]
            found = [node.args[index]] if index is not None and len(node.args) > index else []
            found += [k.value for k in node.keywords if k.arg == "action"]
            for action in found:
                if isinstance(action, ast.Name) and action.id in constants:
                    action = constants[action.id]
                elif isinstance(action, ast.Name):
                    continue  # a forwarder's own parameter: its callers are checked
                yield where, node.lineno, action


def _fixed_part(action: ast.expr) -> tuple[str, bool] | None:
    """Return (text, complete) for a literal or an f-string's leading text; None for anything else."""
    if isinstance(action, ast.Constant) and isinstance(action.value, str):
        return action.value, True
    if isinstance(action, ast.JoinedStr) and action.values and isinstance(action.values[0], ast.Constant):
        return str(action.values[0].value), False
    return None


def test_the_scan_finds_the_calls_it_checks() -> None:
    calls = list(_record_calls())
    assert len(calls) > 50
    assert all(_fixed_part(action) is not None for _, _, action in calls), "an action the scan can't read"


def test_every_recorded_action_has_plain_words() -> None:
    missing = []
    for where, line, action in _record_calls():
        fixed = _fixed_part(action)
        assert fixed is not None
        text, complete = fixed
        known = text in ACTIONS if complete else any(key.startswith(text) for key in ACTIONS)
        if not known:
            missing.append(f"{where}:{line} {text}{'' if complete else '…'}")
    assert not missing, "audit actions without a label in volunteers/auditing/labels.py:\n" + "\n".join(missing)
