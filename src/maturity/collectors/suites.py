"""The integration and E2E suites: one pytest run each, with the recorder plugin.

Unlike the unit run these are not under coverage: they prove the component works
against real services (integration) and in a real browser (E2E). Outcomes come from
the plugin's JSON report, never from pytest's exit code alone.
"""

from __future__ import annotations

from pathlib import Path

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from maturity.collectors.base import Collector, RunContext
from maturity.collectors.pytest_run import fold_session, run_pytest
from maturity.facts import TestOutcome, TestRunFacts
from maturity.project import Component


class SuiteCollector(Collector):
    """Runs one configured test suite once for the whole repository."""

    name = ""
    title = ""
    facts = TestRunFacts
    kind = ""

    def configured(self, ctx: RunContext) -> list[str]:
        """The suite's test paths from config."""
        raise NotImplementedError

    def collect(self, ctx: RunContext) -> TestRunFacts:
        """Run the suite; a suite with no tests at all is an empty result, not an error.

        In a workspace each member's own suite (the configured paths inside its project
        directory, ``libs/a/tests/integration``) runs too, in its own session from its
        directory, as the member's unit tests do."""
        facts = TestRunFacts(tool="pytest", path=ctx.interpreter, interpreter=ctx.interpreter)
        configured = self.configured(ctx)
        facts.paths = configured
        facts.command = f"python -m pytest {' '.join(configured)}"
        plans = suite_sessions(ctx, configured)
        if not plans:
            facts.missing = configured
            return facts
        ctx.run_dir.mkdir(parents=True, exist_ok=True)
        report = ctx.run_dir / f"pytest-{self.kind}.json"
        if len(plans) == 1:
            project, paths = plans[0]
            run_pytest(ctx, facts, paths, report, project=project)
            _tolerate_empty(facts)
            return facts
        commands: list[str] = []
        for index, (project, paths) in enumerate(plans):
            sub = TestRunFacts(tool="pytest", path=ctx.interpreter, interpreter=ctx.interpreter)
            run_pytest(ctx, sub, paths, report.with_suffix(f".{index}.json"), project=project)
            _tolerate_empty(sub)
            commands.append(f"({sub.command})")
            fold_session(facts, sub, project, paths)
        facts.paths = [p for _, paths in plans for p in paths]
        facts.command = " ; ".join(commands)
        return facts


def suite_sessions(ctx: RunContext, configured: list[str]) -> list[tuple[str, list[str]]]:
    """(project directory, test paths) per session: the configured paths that exist at the
    root, then each workspace member's (the same paths inside its project directory)."""
    plans: list[tuple[str, list[str]]] = []
    found = [p for p in configured if (ctx.root / p).exists()]
    if found:
        plans.append((".", found))
    for project in sorted({c.project for c in ctx.project.components} - {"."}):
        own = [f"{project}/{p}" for p in configured if (ctx.root / project / p).exists()]
        if own:
            plans.append((project, own))
    return plans


def _tolerate_empty(facts: TestRunFacts) -> None:
    """A suite whose paths hold no tests yet is empty, not an error."""
    if facts.error and facts.error.startswith("pytest collected no tests"):
        facts.error = None


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

    def collect(self, ctx: RunContext) -> TestRunFacts:
        """Run the pytest E2E suite, or read the configured JUnit report."""
        junit = ctx.project.config.staging.e2e_junit
        if junit is None:
            return super().collect(ctx)
        facts = TestRunFacts(tool="junit", path=junit, command=f"cat {junit}", paths=[junit])
        try:
            facts.tests = read_junit(ctx.root / junit, ctx.project.components)
        except FileNotFoundError:
            facts.error = f"E2E report {junit} does not exist"
        except (OSError, ElementTree.ParseError, DefusedXmlException) as exc:
            facts.error = f"E2E report {junit} is not JUnit XML: {exc!s}"
        return facts


def read_junit(path: Path, components: list[Component]) -> list[TestOutcome]:
    """Test outcomes from a JUnit XML file, marked with the components their titles name."""
    root = ElementTree.parse(path).getroot()
    if root is None or root.tag not in ("testsuites", "testsuite"):
        tag = root.tag if root is not None else "nothing"
        raise ElementTree.ParseError(f"root element is <{tag}>, not <testsuites>")
    outcomes: list[TestOutcome] = []
    for case in root.iter("testcase"):
        name, classname = case.get("name", ""), case.get("classname", "")
        title = f"{classname} {name}"
        outcome, message = "passed", ""
        for tag, result in (("failure", "failed"), ("error", "error"), ("skipped", "skipped")):
            found = case.find(tag)
            if found is not None:
                outcome = result
                message = (found.get("message") or found.text or "").strip().splitlines()[:1]
                message = message[0][:300] if message else ""
                break
        markers = tuple(c.marker for c in components if c.name in title or c.slug in title)
        line = case.get("line") or ""
        outcomes.append(
            TestOutcome(
                nodeid=f"{classname}::{name}" if classname else name,
                file=case.get("file") or classname,
                outcome=outcome,
                markers=markers,
                message=message,
                line=int(line) if line.isdigit() else None,
            )
        )
    return outcomes
