"""The structure holds: apps import only the layers below them, domain apps never each other, no circle.

Read from the source with `ast` (every import, also those inside functions and under TYPE_CHECKING), so a
new arrow upwards or sideways fails here before anyone has to untangle it. Tests are left out: they
exercise the whole product.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "throughcare"

# Lowest first. Within a layer, apps may import each other as long as no circle forms — except the
# domain apps, which never import each other (they react to each other's events instead).
LAYERS: list[tuple[str, frozenset[str]]] = [
    ("base", frozenset({"lib", "accounts", "people", "audit", "notifications", "jurisdictions"})),
    ("cases", frozenset({"cases"})),
    ("access", frozenset({"sharing"})),
    ("domain", frozenset({"custody", "risk", "rehab", "conferences", "rights", "outcomes", "learning"})),
    ("workspace", frozenset({"workspace", "api", "documents", "demo"})),
]
DOMAIN = dict(LAYERS)["domain"]
LEVEL = {app: level for level, (_, apps) in enumerate(LAYERS) for app in apps}


def _modules() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts and "tests" not in path.parts and path.parent != ROOT
    ]


def _app(path: Path) -> str:
    return path.relative_to(ROOT).parts[0]


def _imports(path: Path) -> list[tuple[int, str, bool, bool]]:
    """(line, imported app, inside a function, explained by a comment) for each project import."""
    source = path.read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    in_function: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            in_function |= {id(sub) for sub in ast.walk(node) if isinstance(sub, ast.Import | ast.ImportFrom)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "throughcare" and len(parts) > 1 and (ROOT / parts[1]).is_dir():
                found.append((node.lineno, parts[1], id(node) in in_function, _explained(lines, node.lineno)))
                break
    return found


def _explained(lines: list[str], lineno: int) -> bool:
    """A comment on the import's line, or above the block of imports it belongs to."""
    if "#" in lines[lineno - 1]:
        return True
    for above in reversed(lines[: lineno - 1]):
        stripped = above.strip()
        if stripped.startswith("#") or "# " in stripped:
            return True
        if not stripped.startswith(("from ", "import ")):
            return False
    return False


def _edges() -> dict[str, dict[str, list[str]]]:
    edges: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in _modules():
        source = _app(path)
        for line, target, _, _ in _imports(path):
            if target != source:
                edges[source][target].append(f"{path.relative_to(ROOT.parent)}:{line}")
    return edges


def test_every_app_has_a_place_in_the_layers() -> None:
    apps = {_app(path) for path in _modules()}
    assert apps - set(LEVEL) == set(), "place the new app in LAYERS (and in docs/architecture.md)"


def test_no_app_imports_an_app_above_it() -> None:
    upwards = [
        f"{where}: {source} ({LAYERS[LEVEL[source]][0]}) imports {target} ({LAYERS[LEVEL[target]][0]})"
        for source, targets in _edges().items()
        for target, places in targets.items()
        for where in places
        if LEVEL[target] > LEVEL[source]
    ]
    assert upwards == []


def test_domain_apps_do_not_import_each_other() -> None:
    sideways = [
        f"{where}: {source} imports {target} — emit a domain event, or ask through cases.facts"
        for source, targets in _edges().items()
        if source in DOMAIN
        for target, places in targets.items()
        if target in DOMAIN
        for where in places
    ]
    assert sideways == []


def test_no_circle_between_apps() -> None:
    edges = {source: set(targets) for source, targets in _edges().items()}
    circles = []

    def visit(app: str, path: list[str]) -> None:
        for target in sorted(edges.get(app, ())):
            if target in path:
                circles.append(" → ".join(path[path.index(target) :] + [target]))
            elif len(path) < len(LEVEL):
                visit(target, path + [target])

    for app in sorted(edges):
        visit(app, [app])
    assert circles == []


def test_function_level_imports_of_project_modules_say_why() -> None:
    unexplained = [
        f"{path.relative_to(ROOT.parent)}:{line}"
        for path in _modules()
        for line, _, inside, explained in _imports(path)
        if inside and not explained
    ]
    assert unexplained == []


def test_no_django_signals_carry_the_product() -> None:
    """Audit and reactions are explicit calls and events, never signals a reader cannot follow."""
    uses = [
        str(path.relative_to(ROOT.parent))
        for path in _modules()
        if "django.dispatch" in path.read_text() or "db.models.signals" in path.read_text()
    ]
    assert uses == []


@pytest.mark.parametrize(
    ("source", "target"),
    [("cases", "sharing"), ("custody", "risk"), ("conferences", "risk"), ("notifications", "sharing")],
)
def test_the_old_circles_stay_cut(source: str, target: str) -> None:
    assert target not in _edges().get(source, {}), f"{source} imports {target} again"
