"""Which tests belong to a component, and an account of every test of the run.

A component's tests are selected by the first method that applies to it:

1. ``marker``: tests carrying its pytest marker (when any test does);
2. ``tests path``: tests under its configured ``tests`` paths, the most specific path
   winning when components' paths nest;
3. ``coverage contexts``: tests whose coverage context ran a line of a file it owns;
   completed by ``imports``: a test whose context ran no line of any component (it was
   skipped, or it exercises only code that ran at import time) belongs to the components
   its test module imports (the static import graph, resolved to component files).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from maturity.config import Component
from maturity.facts import CollectionError, CoverageFacts, TestOutcome, TestRunFacts
from maturity.model import TestAccount, TestSessionReport

MARKER = "marker"
PATH = "tests path"
CONTEXTS = "coverage contexts"
IMPORTS = "imports"
METHODS = (MARKER, PATH, CONTEXTS, IMPORTS)
NOT_RUN = ("not run", "deselected")  # collected, but never ran: never counted as passed
RAN = ("passed", "failed", "error", "xfailed", "xpassed")


@dataclass
class Attribution:
    """The tests of one component and how they were found."""

    method: str  # the component's method: marker / tests path / coverage contexts
    tests: list[TestOutcome]
    unknown: list[CollectionError]  # collection errors that may hide this component's tests
    error: str | None = None
    how: dict[str, str] = field(default_factory=dict)  # node id -> method that found it


def attribute(
    component: Component, run: TestRunFacts, coverage: CoverageFacts | None
) -> Attribution:
    """Select the component's tests: marker first, then config paths, then contexts and
    imports."""
    marked = [t for t in run.tests if component.marker in t.markers]
    if marked:
        return Attribution(
            MARKER, marked, list(run.collection_errors), how=dict.fromkeys(_ids(marked), MARKER)
        )
    if component.tests:
        tests = [t for t in run.tests if component.owns_test(t.file)]
        unknown = [e for e in run.collection_errors if component.owns_test(e.file)]
        return Attribution(PATH, tests, unknown, how=dict.fromkeys(_ids(tests), PATH))
    if coverage is None or coverage.error or not coverage.has_contexts:
        reason = coverage.error if coverage is not None and coverage.error else "no coverage data"
        return Attribution(
            CONTEXTS,
            [],
            list(run.collection_errors),
            error=f"no marker or tests path for this component and {reason}",
        )
    ran = coverage.tests_of(component.owns)
    touched = coverage.touched
    how: dict[str, str] = {}
    tests: list[TestOutcome] = []
    for t in run.tests:
        if t.nodeid in ran:
            how[t.nodeid] = CONTEXTS
        elif t.nodeid not in touched and any(
            component.owns(f) for f in run.imports.get(t.file, ())
        ):
            how[t.nodeid] = IMPORTS
        else:
            continue
        tests.append(t)
    return Attribution(CONTEXTS, tests, list(run.collection_errors), how=how)


def _ids(tests: list[TestOutcome]) -> list[str]:
    return [t.nodeid for t in tests]


def account(
    components: list[Component], run: TestRunFacts | None, coverage: CoverageFacts | None
) -> TestAccount | None:
    """Every test of the run: how many ran, how each was attributed, which belong to none."""
    if run is None:
        return None
    outcomes: dict[str, int] = {}
    for t in run.tests:
        outcomes[t.outcome] = outcomes.get(t.outcome, 0) + 1
    by_method: dict[str, set[str]] = {m: set() for m in METHODS}
    for comp in components:
        for nodeid, method in attribute(comp, run, coverage).how.items():
            by_method[method].add(nodeid)
    attributed = set().union(*by_method.values())
    unattributed = [t.nodeid for t in run.tests if t.nodeid not in attributed]
    return TestAccount(
        collected=len(run.tests),
        ran=sum(n for o, n in outcomes.items() if o in RAN),
        outcomes=outcomes,
        attributed={m: len(ids) for m, ids in by_method.items()},
        unattributed_count=len(unattributed),
        unattributed=unattributed,
        collection_errors=len(run.collection_errors),
        error=run.error,
        sessions=[
            TestSessionReport(
                project=s.project,
                paths=s.paths,
                rootdir=s.rootdir,
                config_file=s.inifile,
                interpreter=s.interpreter,
                command=s.command,
                exit_status=s.exit_status,
                collected=s.collected,
                outcomes=s.outcomes,
                collection_errors=s.collection_errors,
                data_file=s.data_file,
                error=s.error,
            )
            for s in run.sessions
        ],
        durations={t.nodeid: t.duration for t in run.tests if t.duration is not None},
    )
