"""Which integration test files exist for each component."""

from __future__ import annotations

from maturity.collectors.base import Collector, RunContext
from maturity.facts import FilesFacts


class IntegrationFilesCollector(Collector):
    """Glob ``integration_tests`` (``{component}`` replaced) from the repo root."""

    name = "integration_files"
    title = "integration test files"
    facts = FilesFacts

    def collect(self, ctx: RunContext) -> FilesFacts:
        """The sorted repo-relative matches per component name."""
        pattern = ctx.project.config.integration_tests
        facts = FilesFacts(pattern=pattern, command=f"ls {pattern}")
        found: dict[str, set[str]] = {}
        for comp in ctx.project.components:
            glob = pattern.format(component=comp.name)
            # a workspace member's own tests/integration/ too (the pattern from its directory)
            bases = [ctx.root] if comp.project == "." else [ctx.root, ctx.root / comp.project]
            found[comp.name] = {
                p.relative_to(ctx.root).as_posix()
                for base in bases
                for p in base.glob(glob)
                if p.is_file()
            }
        # test_api_gateway_x.py matches both test_api_* and test_api_gateway_*: a file
        # belongs to the component with the longest name whose pattern matches it
        for name, files in found.items():
            facts.matches[name] = sorted(
                f
                for f in files
                if not any(len(other) > len(name) and f in found[other] for other in found)
            )
        return facts
