"""Which integration test files exist for each component."""

from __future__ import annotations

from maturity.collectors.base import RunContext
from maturity.facts import FilesFacts


class IntegrationFilesCollector:
    """Glob ``integration_tests`` (``{component}`` replaced) from the repo root."""

    name = "integration_files"
    title = "integration test files"

    def collect(self, ctx: RunContext) -> FilesFacts:
        """The sorted repo-relative matches per component name."""
        pattern = ctx.project.config.integration_tests
        facts = FilesFacts(pattern=pattern, command=f"ls {pattern}")
        for comp in ctx.project.components:
            glob = pattern.format(component=comp.name)
            facts.matches[comp.name] = sorted(
                p.relative_to(ctx.root).as_posix() for p in ctx.root.glob(glob) if p.is_file()
            )
        return facts
