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

from collections.abc import Iterable
from dataclasses import dataclass, field

from maturity.facts import CollectionError, CoverageFacts, TestOutcome, TestRunFacts
from maturity.model import TestAccount, TestSessionReport
from maturity.project import Component

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
    imports (in the run's order, through an index of the run built once)."""
    index = _index(run)
    marked = index.tests_at(index.by_marker.get(component.marker, []))
    if marked:
        return Attribution(
            MARKER, marked, list(run.collection_errors), how=dict.fromkeys(_ids(marked), MARKER)
        )
    if component.tests:
        tests = index.tests_at(
            p for f, at in index.by_file.items() if component.owns_test(f) for p in at
        )
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
    ran = coverage.tests_of(component.owns, within=component.path)  # owns: under its path
    touched = coverage.touched
    found: dict[int, str] = {p: CONTEXTS for nodeid in ran for p in index.by_id.get(nodeid, ())}
    for file, untouched in index.untouched(touched).items():
        if any(component.owns(f) for f in run.imports.get(file, ())):
            found.update((p, IMPORTS) for p in untouched if run.tests[p].nodeid not in ran)
    tests = index.tests_at(found)
    how = {run.tests[p].nodeid: found[p] for p in sorted(found)}
    return Attribution(CONTEXTS, tests, list(run.collection_errors), how=how)


@dataclass
class _RunIndex:
    """Positions of a run's tests by marker, by file and by node id (in the run's order),
    so that attributing each component is not a scan of every test."""

    run: TestRunFacts
    tests: list[TestOutcome]  # the list indexed (a run given new tests is indexed again)
    count: int
    by_marker: dict[str, list[int]] = field(default_factory=dict)
    by_file: dict[str, list[int]] = field(default_factory=dict)
    by_id: dict[str, list[int]] = field(default_factory=dict)

    _untouched: tuple[frozenset[str], dict[str, list[int]]] | None = None

    def untouched(self, touched: frozenset[str]) -> dict[str, list[int]]:
        """Per test file, the positions of its tests that ran no line of any component
        file (``touched``: the coverage data's), which only their imports can attribute."""
        if self._untouched is None or self._untouched[0] is not touched:
            found: dict[str, list[int]] = {}
            for p, t in enumerate(self.run.tests):
                if t.nodeid not in touched:
                    found.setdefault(t.file, []).append(p)
            self._untouched = (touched, found)
        return self._untouched[1]

    def tests_at(self, positions: Iterable[int]) -> list[TestOutcome]:
        """The tests at these positions, in the run's order."""
        return [self.run.tests[p] for p in sorted(set(positions))]


_INDEXES: list[_RunIndex] = []  # the newest few runs' indexes (a run is evaluated at once)


def _index(run: TestRunFacts) -> _RunIndex:
    """The index of a run's tests, built on first use (and again if its tests changed)."""
    for found in _INDEXES:
        if found.run is run and found.tests is run.tests and found.count == len(run.tests):
            return found
    index = _RunIndex(run, run.tests, len(run.tests))
    for p, t in enumerate(run.tests):
        for marker in set(t.markers):
            index.by_marker.setdefault(marker, []).append(p)
        index.by_file.setdefault(t.file, []).append(p)
        index.by_id.setdefault(t.nodeid, []).append(p)
    _INDEXES[:] = [index, *_INDEXES[:3]]
    return index


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
