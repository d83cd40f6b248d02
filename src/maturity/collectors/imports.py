"""The static import graph of test modules, resolved to component files (AST, no import).

A test whose coverage context touches no component line (it was skipped, or it exercises
only code that ran at import time) still belongs somewhere: to the components its test
module imports. Imports are followed through the repository's own helper modules (a
``tests/helpers.py`` that imports the component counts) but not through component files
(a component importing another does not make its tests the other's).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from maturity.collectors.base import RunContext
from maturity.project import Project
from maturity.pysource import parse_python

FOLLOW_LIMIT = 500  # helper modules followed per test file, a bound for pathological graphs


def _search_roots(project: Project, test_file: Path) -> list[Path]:
    """Where ``import x`` may be found: each component's parent, the repository root, and
    the test's base directory (pytest's ``prepend`` import mode puts it on ``sys.path``)."""
    roots = [(project.root / path).parent for path in project.roots]
    roots.append(project.root)
    base = test_file.parent
    while (base / "__init__.py").is_file() and base != project.root:
        base = base.parent
    roots.append(base)
    return list(dict.fromkeys(roots))


def _module_file(root: Path, dotted: str) -> Path | None:
    """The file of ``dotted`` under ``root`` (module or package), else None."""
    base = root.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _resolve(roots: list[Path], dotted: str) -> Path | None:
    """The deepest existing module of ``dotted`` (``a.b.c``, else ``a.b``, else ``a``)."""
    parts = dotted.split(".")
    for depth in range(len(parts), 0, -1):
        name = ".".join(parts[:depth])
        for root in roots:
            found = _module_file(root, name)
            if found is not None:
                return found
    return None


def _package_of(file: Path, level: int) -> Path:
    """The directory a relative import of ``level`` dots starts from."""
    base = file.parent
    for _ in range(level - 1):
        base = base.parent
    return base


@cache
def _parse(file: Path) -> ast.Module | None:
    try:
        return parse_python(file.read_bytes(), filename=str(file))
    except (OSError, SyntaxError, ValueError):
        return None


def imported_files(file: Path, roots: list[Path]) -> set[Path]:
    """Files the module ``file`` imports directly (those that exist in the repository)."""
    tree = _parse(file)
    if tree is None:
        return set()
    found: set[Path] = set()
    for node in ast.walk(tree):
        names: list[tuple[list[Path], str]] = []
        if isinstance(node, ast.Import):
            names = [(roots, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            where = [_package_of(file, node.level)] if node.level else roots
            module = node.module or ""
            # `from pkg import name`: name may be a submodule, else an attribute of pkg
            names = [(where, f"{module}.{a.name}".lstrip(".")) for a in node.names]
            if module:
                names.append((where, module))
        for search, dotted in names:
            resolved = _resolve(search, dotted) if dotted else None
            if resolved is not None:
                found.add(resolved)
    return found


def imports_of_tests(ctx: RunContext, test_files: list[str]) -> dict[str, list[str]]:
    """For each test file, the component files it imports, directly or through the
    repository's own non-component modules. Keys and values are repo-relative."""
    project = ctx.project
    out: dict[str, list[str]] = {}
    for rel in test_files:
        start = (ctx.root / rel).resolve()
        if not start.is_file() or start.suffix != ".py":
            continue
        roots = _search_roots(project, start)
        reached: set[str] = set()
        seen = {start}
        todo = [start]
        followed = 0
        while todo and followed <= FOLLOW_LIMIT:
            current = todo.pop()
            followed += 1
            for target in imported_files(current, roots):
                if target in seen:
                    continue
                seen.add(target)
                relpath = ctx.relpath(target)
                if project.owner(relpath) is not None:
                    reached.add(relpath)
                elif target.is_relative_to(ctx.root):
                    todo.append(target)
        if reached:
            out[rel] = sorted(reached)
    _parse.cache_clear()
    return out
