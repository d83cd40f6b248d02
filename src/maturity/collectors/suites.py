"""The integration and E2E suites: one pytest run each, with the recorder plugin.

Unlike the unit run these are not under coverage: they prove the component works
against real services (integration) and in a real browser (E2E). Outcomes come from
the plugin's JSON report, never from pytest's exit code alone.
"""

from __future__ import annotations

from maturity.collectors.base import RunContext
from maturity.collectors.pytest_run import probe_interpreter, run_pytest
from maturity.facts import TestRunFacts


class SuiteCollector:
    """Runs one configured test suite once for the whole repository."""

    name = ""
    title = ""
    kind = ""

    def configured(self, ctx: RunContext) -> list[str]:
        """The suite's test paths from config."""
        raise NotImplementedError

    def collect(self, ctx: RunContext) -> TestRunFacts:
        """Run the suite; a suite with no tests at all is an empty result, not an error."""
        facts = TestRunFacts(tool="pytest", path=ctx.interpreter, interpreter=ctx.interpreter)
        configured = self.configured(ctx)
        paths = [p for p in configured if (ctx.root / p).exists()]
        facts.paths = configured
        facts.command = f"python -m pytest {' '.join(configured)}"
        if not paths:
            facts.missing = configured
            return facts
        if probe_interpreter(ctx, facts) is None:
            return facts
        ctx.run_dir.mkdir(parents=True, exist_ok=True)
        run_pytest(ctx, facts, paths, ctx.run_dir / f"pytest-{self.kind}.json")
        if facts.error and facts.error.startswith("pytest collected no tests"):
            facts.error = None
        return facts


class IntegrationTestsCollector(SuiteCollector):
    """``tests/integration`` (``staging.integration_tests``), against real services."""

    name = "integration_tests"
    title = "integration tests"
    kind = "integration"

    def configured(self, ctx: RunContext) -> list[str]:
        """``[tool.maturity.staging] integration_tests``."""
        return list(ctx.project.config.staging.integration_tests)


class E2ETestsCollector(SuiteCollector):
    """``tests/e2e`` (``staging.e2e_tests``): browser tests in headless Chromium."""

    name = "e2e_tests"
    title = "E2E tests"
    kind = "e2e"

    def configured(self, ctx: RunContext) -> list[str]:
        """``[tool.maturity.staging] e2e_tests``."""
        return list(ctx.project.config.staging.e2e_tests)
