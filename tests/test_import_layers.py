"""The project's packages import one another one way: no cycle between packages, none between
modules (imports inside functions count too: a late import hides a cycle, it does not remove
it), and no private Dagster import (``dagster._…``)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "cli",
    "settings",
    "night",
    "gate",
    "publication",
    "engines",
    "submissions",
    "orchestration",
    "ingest",
    "expectations",
    "reports",
    "demo",
    "sqlfiles",
    "rubrics",
    "yamlfiles",
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports() -> dict[str, set[str]]:
    """Each project module and the project modules it imports (anywhere in its body)."""
    modules = {
        _module_name(path): path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
    }
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # `from reports import queries`: the module reports.queries, not the package
                found = [
                    f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules else node.module
                    for alias in node.names
                ]
            else:
                continue
            targets.update(target for target in found if target in modules)
        graph[name] = targets - {name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph (its nodes in order, the first repeated last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_between_modules() -> None:
    cycle = _cycle(_imports())
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_no_import_cycle_between_packages() -> None:
    packages: dict[str, set[str]] = {}
    for module, targets in _imports().items():
        packages.setdefault(module.split(".")[0], set()).update(t.split(".")[0] for t in targets)
    graph = {package: targets - {package} for package, targets in packages.items()}
    cycle = _cycle(graph)
    assert cycle is None, "import cycle between packages: " + " → ".join(cycle)


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


# The one module allowed Dagster's private names, and why: its SQLite event log storage
# subclass keeps the event log files open (issue 21: about 3 s of every night). Dagster is
# pinned by uv.lock; tests/orchestration/test_dagster_storage.py fails if an upgrade breaks it.
PRIVATE_DAGSTER_ALLOWED = {"orchestration/dagster_storage.py"}


def test_no_private_dagster_import() -> None:
    private = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.relative_to(ROOT).as_posix() in PRIVATE_DAGSTER_ALLOWED:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = (
                    [alias.name for alias in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else []
                )
                private += [
                    f"{path.relative_to(ROOT)}:{node.lineno} {name}"
                    for name in names
                    if name.split(".")[0].startswith("dagster")
                    and any(p.startswith("_") for p in name.split("."))
                ]
    assert not private, "private Dagster imports:\n" + "\n".join(private)


def _environment_reads(tree: ast.AST) -> list[int]:
    """Lines that read the process environment: ``os.environ``, ``os.getenv``,
    ``os.environb`` or their names imported from ``os``."""
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
            and node.attr in {"environ", "getenv", "environb"}
        ) or (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and any(alias.name in {"environ", "getenv", "environb"} for alias in node.names)
        ):
            lines.append(node.lineno)
    return lines


def test_only_the_settings_package_reads_the_environment() -> None:
    readers = [
        f"{path.relative_to(ROOT)}:{line}"
        for package in PACKAGES
        if package != "settings"
        for path in sorted((ROOT / package).rglob("*.py"))
        for line in _environment_reads(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not readers, "modules reading the environment outside settings/:\n" + "\n".join(readers)


def test_the_environment_read_finder_finds_reads() -> None:
    source = "import os\nfrom os import getenv\na = os.environ['X']\nb = os.getenv('Y')\nc = 'os.environ'\n"
    tree = ast.parse(source)
    assert _environment_reads(tree) == [2, 3, 4]
