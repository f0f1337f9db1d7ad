"""The package's layers: each module imports only its own layer and the layers below it.

register → figures → report → publish, the workbench beside publishing, the command line on top;
the base modules (exceptions, paths, periods, ...) under all of them. Every import counts, the ones
inside functions too (a lazy import is still a dependency); only ``if TYPE_CHECKING:`` blocks,
which never run, and the package's own ``__init__`` (a facade that names the public API) are
exempt. docs/architecture.md explains the layers.
"""

import ast
import importlib
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "reportlib"
# Higher imports lower; publish and the workbench are peers, neither imports the other.
LAYERS = {"base": 0, "register": 1, "figures": 2, "report": 3, "publish": 4, "workbench": 4, "cli": 5}
TOP_LEVEL_OF_CLI = {"cli", "__main__"}
# Statistics and the register never draw: plotting is the report's (and the workbench's).
DRAWING = {"matplotlib", "seaborn"}


def layer_of(module: str) -> str:
    """The layer of a dotted module name inside reportlib (``reportlib.report.charts`` -> ``report``)."""
    parts = module.split(".")
    assert parts[0] == "reportlib", module
    if len(parts) == 1:
        return "base"
    if parts[1] in TOP_LEVEL_OF_CLI:
        return "cli"
    return parts[1] if parts[1] in LAYERS else "base"


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and (
        (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
        or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING"))


def _resolve(package: str, imported: str, name: str) -> str:
    """What ``from imported import name`` depends on: the submodule ``name`` if there is one, else
    the module that defines ``name`` (a package's lazy ``_PUBLIC`` names it), else ``imported``."""
    candidate = f"{imported}.{name}"
    path = PACKAGE.parent.joinpath(*candidate.split("."))
    if path.with_suffix(".py").exists() or (path / "__init__.py").exists():
        return candidate
    public = getattr(importlib.import_module(imported), "_PUBLIC", {})
    return f"{imported}.{public[name]}" if name in public else imported


def imports(source: str, module: str, is_package: bool = False) -> set[tuple[int, str]]:
    """The (line, module) pairs ``module``'s source imports, reportlib's and others', but for TYPE_CHECKING."""
    found: set[tuple[int, str]] = set()
    package = module if is_package else module.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        if _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                target = _resolve(package, base, alias.name) if base.startswith("reportlib") else base
                found.add((node.lineno, target))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    """Every import of ``module`` that reaches up, or sideways to a peer, or draws where nothing may."""
    own = layer_of(module)
    wrong = []
    for line, target in sorted(imports(source, module, is_package)):
        top = target.partition(".")[0]
        if top == "reportlib":
            other = layer_of(target)
            if other != own and LAYERS[other] >= LAYERS[own]:
                wrong.append(f"{module}:{line} imports {target} ({own} may not import {other})")
        elif top in DRAWING and own in ("base", "register", "figures"):
            wrong.append(f"{module}:{line} imports {target} ({own} never draws)")
    return wrong


MODULES = sorted(path for path in PACKAGE.rglob("*.py") if path != PACKAGE / "__init__.py")


def test_every_module_is_in_a_layer():
    # A new subpackage must be given its place: otherwise it would silently count as a base module.
    subpackages = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    assert subpackages == set(LAYERS) - {"base"}


@pytest.mark.parametrize("path", MODULES, ids=lambda path: module_name(path))
def test_a_module_imports_only_its_own_layer_and_those_below(path):
    assert violations(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py") == []


@pytest.mark.parametrize("source,module,expected", [
    # up, even inside a function
    ("def f():\n    from reportlib.report import charts\n", "reportlib.register.new",
     ["reportlib.register.new:2 imports reportlib.report.charts (register may not import report)"]),
    # a package's lazy public name counts as the module that defines it
    ("from reportlib.report import load_beretning\n", "reportlib.figures.stats",
     ["reportlib.figures.stats:1 imports reportlib.report.beretning (figures may not import report)"]),
    # relative, sideways between peers
    ("from ..workbench import tables\n", "reportlib.publish.run",
     ["reportlib.publish.run:1 imports reportlib.workbench.tables (publish may not import workbench)"]),
    # a base module is below everything, a subpackage above it
    ("import reportlib.register.kommune\n", "reportlib.formatting",
     ["reportlib.formatting:1 imports reportlib.register.kommune (base may not import register)"]),
    ("import seaborn\n", "reportlib.figures.stats",
     ["reportlib.figures.stats:1 imports seaborn (figures never draws)"]),
    # allowed: down, within the layer, and what only a type checker reads
    ("from reportlib.register.model import Register\nfrom . import parts\n", "reportlib.figures.stats", []),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from reportlib.report.sections import Section\n",
     "reportlib.report.beretning", []),
    ("import seaborn\nfrom reportlib.publish import run\n", "reportlib.cli", []),
])
def test_the_check_finds_what_reaches_up(source, module, expected):
    assert violations(source, module) == expected


def circles() -> list[list[str]]:
    """Every circle of reportlib's modules importing each other (lazy imports too, not TYPE_CHECKING), as a path."""
    names = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = {name: sorted({target for _line, target in imports(path.read_text(encoding="utf-8"), name,
                                                              path.name == "__init__.py") if target in names} - {name})
             for name, path in names.items()}
    found, done = [], set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            found.append([*path[path.index(name):], name])
            return
        if name in done:
            return
        for target in graph[name]:
            visit(target, [*path, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    return found


def test_no_module_imports_one_that_imports_it_back():
    # A module that needs another's names only for its annotations imports them under TYPE_CHECKING.
    assert circles() == []
