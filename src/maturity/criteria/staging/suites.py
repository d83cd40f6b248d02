"""Staging exit criteria over the integration and E2E suites: every test of the component
runs and passes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from fnmatch import fnmatch

from maturity.config import MaturityConfig
from maturity.criteria.base import (
    Criterion,
    Rule,
    Verdict,
    plural,
    register,
    require,
)
from maturity.criteria.measures import not_passing_evidence, outcome_summary
from maturity.facts import Facts, TestRunFacts
from maturity.model import BlockerCategory, Evidence, Figure, Stage, Status
from maturity.project import Component

# A skipped integration or E2E test proved nothing: the gate needs every test to run and pass.
FAILING = ("failed", "error", "skipped", "not run", "deselected")


def _suite_rule(attr: str, label: str, pattern: Callable[[MaturityConfig], str]) -> Rule:
    """A rule: every test of the suite that belongs to the component passes, ≥ 1 test."""

    def rule(facts: Facts, comp: Component, config: MaturityConfig, now: datetime) -> Verdict:
        run: TestRunFacts = require(getattr(facts, attr), f"the {label} run")
        glob = pattern(config).format(component=comp.name)
        tests = [t for t in run.tests if comp.marker in t.markers]
        method = f"marker {comp.marker}"
        command = f"python -m pytest {' '.join(run.paths)} -m {comp.marker}"
        # a workspace member's own files match the pattern from its project directory
        globs = [glob] if comp.project == "." else [glob, f"{comp.project}/{glob}"]
        if not tests:
            tests = [t for t in run.tests if any(fnmatch(t.file, g) for g in globs)]
            method, command = f"files {glob}", f"python -m pytest {glob}"
            if comp.project != ".":
                method = f"files {glob} (from the root or {comp.project}/)"
                command = f"cd {comp.project} && python -m pytest {glob}"
        broken = [
            e for e in run.collection_errors if any(fnmatch(e.file, g) for g in globs) or not tests
        ]
        if broken:
            first = broken[0]
            return Verdict(
                Status.ERROR, "not measured",
                f"{plural(len(broken), 'test file')} could not be collected, so this"
                f" component's {label} tests are unknown: {first.file}: {first.message}",
                evidence=[Evidence(message=e.message, file=e.file) for e in broken],
                commands=[command],
            )  # fmt: skip
        counts, passed, display = outcome_summary(tests)
        details = {"method": method, "counts": counts, "tests": len(tests)}
        if not tests:
            where = f"{', '.join(run.missing)} does not exist" if run.missing else "none found"
            return Verdict(
                Status.FAIL, "0 tests",
                f"no {label} tests for this component (marker {comp.marker} or {glob}):"
                f" {where}", 0, commands=[command], details=details,
            )  # fmt: skip
        bad = [t for t in tests if t.outcome in FAILING]
        if bad or passed == 0:
            evidence = not_passing_evidence(bad)
            return Verdict(
                Status.FAIL, display,
                f"{plural(len(bad), 'test')} not passing of {len(tests)} (by {method})",
                passed, evidence, [command], details,
            )  # fmt: skip
        return Verdict(
            Status.PASS, display, f"all {len(tests)} {label} tests pass (by {method})",
            passed, commands=[command], details=details,
        )  # fmt: skip

    return rule


integration_tests = _suite_rule(
    "integration_tests", "integration", lambda config: config.integration_tests
)
e2e_tests = _suite_rule("e2e_tests", "E2E", lambda config: config.staging.e2e_files)


register(
    Criterion(
        id="stg.integration_tests",
        figure=Figure.TESTS,
        gate=Stage.STAGING,
        number=1,
        title="All integration tests passing",
        checklist="All integration tests passing",
        category=BlockerCategory.TESTS,
        shown=lambda c: "100% pass, ≥1 test",
        remediation="Make every integration test of the component run against the real"
        " services and pass; a skipped test does not count.",
        needs=("integration_tests",),
        rule=integration_tests,
    )
)
register(
    Criterion(
        id="stg.e2e_tests",
        figure=Figure.TESTS,
        gate=Stage.STAGING,
        number=2,
        title="E2E tests passing",
        checklist="E2E tests passing",
        category=BlockerCategory.TESTS,
        shown=lambda c: "100% pass, ≥1 test",
        remediation="Write or fix the component's end-to-end tests until each one runs and"
        " passes in the browser.",
        needs=("e2e_tests",),
        rule=e2e_tests,
    )
)
