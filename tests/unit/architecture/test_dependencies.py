"""The packages of ``volunteers`` import one another in one direction only.

The order is written in docs/DESIGN.md ("Where things are"): a package may
import those listed before it, never one after it, and never a package on
its own level. Imports inside function bodies count too, and none may name
a ``volunteers`` module (they used to hide cycles). Every ``domain/`` stays
pure: no Flask, no SQLAlchemy, no database, only other domain code.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3] / "volunteers"

#: lowest first; a package may import only packages on an earlier line
LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("mail",),
    ("people",),
    ("rota",),
    ("wellbeing", "contributions"),
    ("autofill", "selfservice", "peersupport"),
    ("reports",),
    ("privacy", "auditing", "settings"),
    ("api", "operations"),
    ("demo",),
    ("scheduler",),
    ("cli",),
    ("app",),
)
#: top-level modules that belong with a package: the extensions are core's, the
#: ``scheduler run`` command is the scheduler's
ALIASES = {"extensions": "core", "scheduler_cli": "scheduler"}
LEVEL = {name: level for level, names in enumerate(LAYERS) for name in names}
#: modules outside a ``domain/`` that are pure too (stdlib only, or only re-exporting domain names)
PURE = {"volunteers.wellbeing", "volunteers.core.timeutil", "volunteers.core.csv_errors", "volunteers.core.params",
        "volunteers.core.spreadsheets", "volunteers.mail.quiet"}
DOMAIN_FORBIDDEN = {"flask", "sqlalchemy", "flask_sqlalchemy", "werkzeug", "jinja2", "markupsafe"}


def _modules() -> Iterator[tuple[Path, str]]:
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        yield path, ALIASES.get(parts[0], parts[0])


def _imports(tree: ast.AST) -> Iterator[tuple[ast.stmt, str, bool]]:
    """Yield (node, imported module, inside a function) for every absolute import."""
    def walk(node: ast.AST, inside: bool) -> Iterator[tuple[ast.stmt, str, bool]]:
        for child in ast.iter_child_nodes(node):
            nested = inside or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield child, alias.name, inside
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                yield child, child.module, inside
                for alias in child.names:  # ``from volunteers.rota import places`` imports a module too
                    if _is_volunteers_module(f"{child.module}.{alias.name}"):
                        yield child, f"{child.module}.{alias.name}", inside
            yield from walk(child, nested)
    yield from walk(tree, False)


def _is_volunteers_module(name: str) -> bool:
    path = ROOT.parent.joinpath(*name.split("."))
    return name.startswith("volunteers.") and (path.with_suffix(".py").exists() or path.is_dir())


def _package_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "volunteers" or len(parts) < 2:
        return None
    return ALIASES.get(parts[1], parts[1])


def test_every_package_has_a_level() -> None:
    missing = sorted({pkg for _, pkg in _modules() if pkg not in LEVEL and pkg != "__init__"})
    assert not missing, f"add these to LAYERS (and docs/DESIGN.md): {missing}"


def test_packages_import_only_packages_below_them() -> None:
    wrong = []
    for path, pkg in _modules():
        if pkg == "__init__":
            continue
        for node, module, _ in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            target = _package_of(module)
            if target is None or target == pkg or target not in LEVEL:
                continue
            if LEVEL[target] >= LEVEL[pkg]:
                wrong.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}: {pkg} imports {target} ({module})")
    assert not wrong, "imports against the order of docs/DESIGN.md:\n" + "\n".join(sorted(set(wrong)))


def test_no_function_imports_a_volunteers_module() -> None:
    hidden = [
        f"{path.relative_to(ROOT.parent)}:{node.lineno}: {module}"
        for path, _ in _modules()
        for node, module, inside in _imports(ast.parse(path.read_text(encoding="utf-8")))
        if inside and module.split(".")[0] in ("volunteers", "config")
    ]
    assert not hidden, "import these at the top of the module:\n" + "\n".join(sorted(set(hidden)))


def _pure_modules() -> list[Path]:
    domain = [p for p in ROOT.rglob("*.py") if "domain" in p.relative_to(ROOT).parts]
    named = [ROOT.parent / (m.replace(".", "/") + ".py") for m in PURE if m.count(".") > 1]
    return sorted(domain + named + [ROOT / "wellbeing" / "__init__.py"])


def _is_pure(module: str) -> bool:
    return module == "volunteers" or module in PURE or ".domain" in module


@pytest.mark.parametrize("path", _pure_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_modules_stay_pure(path: Path) -> None:
    impure = []
    for node, module, _ in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        top = module.split(".")[0]
        if top in DOMAIN_FORBIDDEN:
            impure.append(f"{node.lineno}: {module}")
        elif top == "volunteers" and not _is_pure(module):
            impure.append(f"{node.lineno}: {module} (not a domain module)")
    assert not impure, f"{path.relative_to(ROOT.parent)} must stay pure:\n" + "\n".join(impure)


def test_the_order_here_is_the_order_in_the_design_doc() -> None:
    design = (ROOT.parent / "docs" / "DESIGN.md").read_text(encoding="utf-8")
    picture = " ← ".join("/".join(names) for names in LAYERS)
    assert picture in design, f"docs/DESIGN.md should show the dependency order as: {picture}"
