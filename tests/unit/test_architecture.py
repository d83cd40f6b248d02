"""The package's plan holds: no import circles (the layer rules are import-linter
contracts in pyproject.toml, run by scripts/test)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import maturity

PACKAGE = Path(maturity.__file__).parent


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports (TYPE_CHECKING imports count too)."""
    modules: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        if "_in_target" in path.parts:  # runs in the target's interpreter, imports nothing
            continue
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts).removesuffix(".__init__")
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                base = node.module
                if node.level:
                    base = ".".join([*name.split(".")[: -node.level], node.module])
                found |= {base, *(f"{base}.{a.name}" for a in node.names)}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
        modules[name] = {m for m in found if m.startswith("maturity")}

    def owner(module: str) -> str:
        while module and module not in modules:
            module = module.rpartition(".")[0]
        return module

    return {m: {owner(d) for d in deps} - {m, ""} for m, deps in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_import_graph_has_no_circles() -> None:
    graph = import_graph()
    assert len(graph) > 50  # the whole package was read
    assert circles(graph) == []


def test_a_circle_is_found_when_there_is_one() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
