"""The import rules of docs/development.md ("Import rules"), checked on the source with `ast`.

Nothing is imported: every module of the product package (tests, migrations and conftest excepted) is
parsed, its imports of `ejournal.*` are resolved to modules, and the graph is checked. Imports under
`if TYPE_CHECKING:` are types only and create no dependency at run time, so they are left out.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]  # .../ejournal

# Bottom to top: an app imports apps of its own layer or below, never above.
LAYERS: list[set[str]] = [
    {"core"},
    {"accounts", "schools", "audit.log"},
    {"curriculum"},
    {"journal"},
    {"diary", "notifications", "reports", "interop", "audit", "archive", "printing", "hours"},
    {"home", "demo", "retention", "help", "status", "support"},
    {"api"},
]
LAYER_OF = {app: n for n, apps in enumerate(LAYERS) for app in apps}
# Audit is two floors: its security log (the models and `services.record`) is written by accounts, schools
# and journal, so it stands with accounts and schools; its pages and usage monitoring read every app.
FLOORS = {"ejournal.audit.models": "audit.log", "ejournal.audit.services": "audit.log"}
# `access` holds the permission decisions: every app above core may ask it, and it reads only models.
ACCESS = "access"


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module (a package when the name imported is not a module)
    line: int
    place: str  # "module", "function" or "type-checking"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _product_modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts or path.name == "conftest.py":
            continue
        modules[_module_name(path)] = path
    return modules


MODULES = _product_modules()


def _resolve(base: str, name: str | None) -> str:
    candidate = f"{base}.{name}" if name else base
    return candidate if candidate in MODULES else base


def _imports_of(module: str, path: Path) -> Iterator[Import]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def walk(node: ast.AST, place: str) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                yield from walk(child, "type-checking")
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                yield from walk(child, "type-checking" if place == "type-checking" else "function")
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.split(".")[0] == "ejournal":
                        yield Import(module, alias.name, child.lineno, place)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - (child.level - 1)])
                    base = f"{base}.{child.module}" if child.module else base
                else:
                    base = child.module or ""
                if base.split(".")[0] != "ejournal":
                    continue
                for alias in child.names:
                    yield Import(module, _resolve(base, alias.name), child.lineno, place)
            else:
                yield from walk(child, place)

    yield from walk(ast.parse(path.read_text(encoding="utf-8")), "module")


IMPORTS = [imp for module, path in MODULES.items() for imp in _imports_of(module, path)]
RUNTIME = [imp for imp in IMPORTS if imp.place != "type-checking"]


def _app(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and f"{module}.apps" in MODULES) else ""


def _layer_unit(module: str) -> str:
    """What LAYERS places: the app, or the floor of an app that has two."""
    for prefix, unit in FLOORS.items():
        if module == prefix or module.startswith(prefix + "."):
            return unit
    return _app(module)


def _where(imp: Import) -> str:
    return f"{imp.source}:{imp.line} imports {imp.target}"


def _is_models(module: str) -> bool:
    return module.split(".")[2:3] == ["models"]


def test_every_app_has_a_layer():
    units = {_layer_unit(module) for module in MODULES} - {"", ACCESS}
    assert units == set(LAYER_OF), f"LAYERS and the apps differ: {sorted(units ^ set(LAYER_OF))}"


def test_core_imports_no_other_app():
    offenders = [_where(imp) for imp in RUNTIME if _app(imp.source) == "core" and _app(imp.target) != "core"]
    assert offenders == [], "core is the ground floor and imports no other app:\n" + "\n".join(offenders)


def test_apps_import_only_their_layer_and_below():
    offenders = [
        f"{_where(imp)} ({source} is layer {LAYER_OF[source]}, {target} is layer {LAYER_OF[target]})"
        for imp in RUNTIME
        if (source := _layer_unit(imp.source)) in LAYER_OF
        and (target := _layer_unit(imp.target)) in LAYER_OF
        and LAYER_OF[target] > LAYER_OF[source]
    ]
    assert offenders == [], "an app imports an app of a higher layer:\n" + "\n".join(offenders)


def test_access_imports_only_models_of_other_apps():
    offenders = [
        _where(imp)
        for imp in RUNTIME
        if _app(imp.source) == ACCESS and _app(imp.target) not in {ACCESS, "core"} and not _is_models(imp.target)
    ]
    assert offenders == [], "access/ may read other apps' models only:\n" + "\n".join(offenders)


def test_no_app_imports_another_apps_views():
    offenders = [
        _where(imp) for imp in RUNTIME if _app(imp.target) != _app(imp.source) and "views" in imp.target.split(".")[2:]
    ]
    assert offenders == [], "views belong to their app's urls.py only:\n" + "\n".join(offenders)


def _allowed_function_import(imp: Import) -> bool:
    # ready() registers signals and ticks once the app registry is loaded (Django's own pattern);
    # management commands run outside any request and are never imported by the product.
    path = MODULES[imp.source]
    return path.name == "apps.py" or path.parent.name == "commands"


def test_no_function_level_imports():
    offenders = [
        _where(imp)
        for imp in RUNTIME
        if imp.place == "function" and _app(imp.target) != "" and not _allowed_function_import(imp)
    ]
    assert offenders == [], (
        "an import inside a function hides a dependency (usually one pointing the wrong way); "
        "move the code to where it belongs:\n" + "\n".join(offenders)
    )


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles_between_modules():
    """Module-level and function-level imports both count: a function-level import that closes a circle
    only postpones it to run time. ready() and management commands are left out: nothing imports them."""
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for imp in RUNTIME:
        # A package's __init__ importing its own submodules is not a circle of dependencies.
        own_submodule = imp.source == imp.target.rpartition(".")[0]
        counted = imp.target in MODULES and imp.target != imp.source and not own_submodule
        if counted and not _allowed_function_import(imp):
            graph[imp.source].add(imp.target)
    cycles = _cycles(graph)
    assert cycles == [], "modules importing each other, directly or around a circle:\n" + "\n".join(
        " <-> ".join(cycle) for cycle in cycles
    )


@pytest.mark.parametrize("module", ["ejournal.home.views", "ejournal.schools.services"])
def test_the_checker_sees_the_modules(module):
    # A renamed package or a broken walk would make every rule above pass vacuously.
    assert module in MODULES
    assert any(imp.source == module for imp in IMPORTS)
