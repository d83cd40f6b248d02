"""Which tests belong to a component: by marker, by configured path, or by what they run."""

from __future__ import annotations

from dataclasses import dataclass

from maturity.config import Component
from maturity.facts import CollectionError, CoverageFacts, TestOutcome, TestRunFacts
from maturity.paths import under

MARKER = "marker"
PATH = "tests path"
CONTEXTS = "coverage contexts"


@dataclass
class Attribution:
    """The tests of one component and how they were found."""

    method: str
    tests: list[TestOutcome]
    unknown: list[CollectionError]  # collection errors that may hide this component's tests
    error: str | None = None


def attribute(
    component: Component, run: TestRunFacts, coverage: CoverageFacts | None
) -> Attribution:
    """Select the component's tests: marker first, then config paths, then contexts."""
    marked = [t for t in run.tests if component.marker in t.markers]
    if marked:
        return Attribution(MARKER, marked, list(run.collection_errors))
    if component.tests:
        tests = [t for t in run.tests if any(under(t.file, p) for p in component.tests)]
        unknown = [
            e for e in run.collection_errors if any(under(e.file, p) for p in component.tests)
        ]
        return Attribution(PATH, tests, unknown)
    if coverage is None or coverage.error or not coverage.has_contexts:
        reason = coverage.error if coverage is not None and coverage.error else "no coverage data"
        return Attribution(
            CONTEXTS,
            [],
            list(run.collection_errors),
            error=f"no marker or tests path for this component and {reason}",
        )
    ran: set[str] = set()
    for file, cov in coverage.files.items():
        if component.owns(file):
            for names in cov.contexts.values():
                ran.update(names)
    tests = [t for t in run.tests if t.nodeid in ran]
    return Attribution(CONTEXTS, tests, list(run.collection_errors))
