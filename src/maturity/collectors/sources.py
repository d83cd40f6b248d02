"""The Python files of each component: the files it owns, nested components' excluded."""

from __future__ import annotations

from pathlib import Path

from maturity.collectors.base import Collector, Inputs, RunContext
from maturity.facts import SourcesFacts
from maturity.paths import within
from maturity.project import Component


def owned_python_files(root: Path, comp: Component) -> list[Path]:
    """The ``.py`` files under the component's directory that it owns, sorted.

    Files of a component nested inside it are that component's; ``__pycache__`` and
    hidden directories (``.venv``, ``.tox``…) are not sources.
    """
    base = root / comp.path
    found: list[Path] = []
    for path in base.rglob("*.py"):
        parts = path.relative_to(base).parts[:-1]
        if any(p == "__pycache__" or p.startswith(".") for p in parts):
            continue
        if comp.owns(path.relative_to(root).as_posix()):
            found.append(path)
    return sorted(found)


class SourcesCollector(Collector):
    """Lists each component's Python files once, for the criteria that need them."""

    name = "sources"
    title = "component files"
    facts = SourcesFacts

    def inputs(self, ctx: RunContext) -> Inputs:
        """The Python files under the component directories."""
        inside = within(ctx.project.roots)
        return Inputs(files=lambda rel: rel.endswith(".py") and inside(rel))

    def collect(self, ctx: RunContext) -> SourcesFacts:
        """Repo-relative ``.py`` files per component name."""
        facts = SourcesFacts(tool="maturity sources", command="find <component> -name '*.py'")
        for comp in ctx.project.components:
            facts.files[comp.name] = [
                p.relative_to(ctx.root).as_posix() for p in owned_python_files(ctx.root, comp)
            ]
        return facts
