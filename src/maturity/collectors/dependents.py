"""The Python files a change can affect through imports (``--changed-since`` for pyright).

pyright's diagnostics of a file depend on the file and on everything it imports,
directly or through other modules. So a change re-checks the changed files and every
file of the repository whose imports reach one of them: a module name is affected when
a changed (added, modified, deleted, renamed) file can be that module, and a file is
affected when one of its imports names an affected module or a module inside an
affected package. Names are matched, not resolved, so an import of a deleted module, or
one that only now resolves to an added file, counts; every root a file may be imported
from (the repository root, each component's parent directory, each project directory)
gives it a name, so the set is never smaller than the real one.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import PurePosixPath

from maturity.collectors.base import RunContext
from maturity.collectors.cache import repository_files
from maturity.paths import under
from maturity.pysource import parse_python

PYTHON = (".py", ".pyi")


def _roots(ctx: RunContext) -> list[str]:
    """Directories (repo-relative, '' for the root) a module may be imported from."""
    found = {""}
    for root in ctx.project.roots:
        found.add(PurePosixPath(root).parent.as_posix().removeprefix("."))
    for comp in ctx.project.components:
        if comp.project != ".":
            found.add(comp.project)
            found.add(f"{comp.project}/src")
    found.add("src")
    return sorted(found)


def module_names(path: str, roots: list[str]) -> set[str]:
    """Every dotted name ``path`` (repo-relative) can be imported as."""
    names: set[str] = set()
    pure = PurePosixPath(path)
    for root in roots:
        if root and not under(path, root):
            continue
        rel = pure.relative_to(root) if root else pure
        parts = list(rel.with_suffix("").parts)
        if parts and parts[-1] == "__init__":
            parts.pop()
        if parts and all(p.isidentifier() for p in parts):
            names.add(".".join(parts))
    return names


def imported_names(source: bytes, own: set[str], is_package: bool) -> set[str]:
    """The dotted names a module imports (``from a import b`` gives ``a`` and ``a.b``),
    relative imports made absolute from each of the module's own names ``own``."""
    try:
        tree = parse_python(source)
    except (SyntaxError, ValueError):
        return set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            bases = {node.module or ""}
            if node.level:
                bases = set()
                for name in own:
                    parts = name.split(".")
                    keep = len(parts) - node.level + (1 if is_package else 0)
                    if keep < 0:
                        continue
                    base = ".".join(parts[:keep])
                    bases.add(f"{base}.{node.module}" if node.module else base)
            for dotted in (b.strip(".") for b in bases):
                if dotted:
                    found.add(dotted)
                found |= {f"{dotted}.{a.name}".strip(".") for a in node.names if a.name != "*"}
    return found


def reaches(imports: set[str], affected: set[str]) -> bool:
    """One of ``imports`` names an affected module, or a module inside an affected package."""
    for name in imports:
        parts = name.split(".")
        if any(".".join(parts[:i]) in affected for i in range(1, len(parts) + 1)):
            return True
    return False


# a relative import (``from .x import y``, ``from . import y``): its names are not in the text
_RELATIVE = re.compile(rb"\bfrom[\s\\]*\.")


def _may_reach(source: bytes, tops: set[bytes]) -> bool:
    """Whether a module's imports could reach a module whose name starts with one of
    ``tops``, without parsing it: an absolute import spells its module's first name in the
    text, so a file that contains none of them, imports nothing relatively and is plain
    UTF-8 without a coding declaration cannot (a cheap test that is never wrong the other
    way: a file it lets through is parsed)."""
    if _RELATIVE.search(source) or b"coding" in source[:200]:
        return True
    try:
        source.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return any(top in source for top in tops)


def dependents(ctx: RunContext, changed: set[str]) -> set[str]:
    """The Python files (repo-relative) a change of ``changed`` can affect: the changed
    ones that exist, and every file whose imports reach one of them. A file is parsed
    only when its text could name an affected module (``_may_reach``)."""
    roots = _roots(ctx)
    affected: set[str] = set()
    for path in changed:
        if path.endswith(PYTHON):
            affected |= module_names(path, roots)
    files = [p for p in repository_files(ctx.root) if p.endswith(PYTHON)]
    result = {p for p in files if p in changed}
    sources: dict[str, bytes] = {}
    for path in files:
        if path not in result:
            try:
                sources[path] = (ctx.root / path).read_bytes()
            except OSError:
                continue
    graph: dict[str, set[str]] = {}  # the files parsed so far: their imported names
    while True:
        tops = {name.split(".")[0].encode() for name in affected}
        for path, source in sources.items():
            if path not in graph and path not in result and _may_reach(source, tops):
                own = module_names(path, roots)
                package = path.endswith(("__init__.py", "__init__.pyi"))
                graph[path] = imported_names(source, own, package)
        more = {p for p, names in graph.items() if p not in result and reaches(names, affected)}
        if not more:
            return result
        result |= more
        for path in more:
            affected |= module_names(path, roots)


def narrows(ctx: RunContext) -> str | None:
    """Why pyright must check every file even when few changed: its configuration picks
    files (``include``/``exclude``), which files named on its command line would bypass."""
    for group, _ in ctx.projects():
        base = ctx.root / group
        if (base / "pyrightconfig.json").is_file():
            return f"{group}/pyrightconfig.json picks the files pyright checks"
        try:
            data = tomllib.loads((base / "pyproject.toml").read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            continue
        config = data.get("tool", {}).get("pyright", {})
        if "include" in config or "exclude" in config:
            return f"[tool.pyright] include/exclude in {group}/pyproject.toml picks its files"
    return None
