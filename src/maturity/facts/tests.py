"""Facts of test runs: outcomes, collection errors, coverage per file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from maturity.facts.base import ToolFacts


@dataclass(frozen=True)
class TestOutcome:
    """One test's result in the single pytest run."""

    __test__ = False  # not a pytest test class

    nodeid: str
    file: str
    outcome: str  # passed / failed / error / skipped / xfailed / xpassed
    markers: tuple[str, ...] = ()
    message: str = ""
    line: int | None = None


@dataclass(frozen=True)
class CollectionError:
    """A test file pytest could not collect (import error, syntax error...)."""

    nodeid: str
    file: str
    message: str


@dataclass
class TestRunFacts(ToolFacts):
    """The single pytest run: outcomes and collection errors."""

    __test__ = False  # not a pytest test class

    paths: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # configured paths that do not exist
    tests: list[TestOutcome] = field(default_factory=list)
    collection_errors: list[CollectionError] = field(default_factory=list)
    exit_status: int | None = None
    stopped: str | None = None  # why the session ended early (then ``error`` says so)
    rootdir: str | None = None  # pytest's rootdir, repo-relative
    imports: dict[str, list[str]] = field(default_factory=dict)  # test file -> component files
    interpreter: str | None = None
    interpreter_version: str | None = None
    pytest_version: str | None = None
    coverage: CoverageFacts | None = None  # measured by the same run


@dataclass
class FileCoverage:
    """Coverage of one file, as ``coverage report`` counts it, with the tests that ran it."""

    statements: int
    covered: int
    branches: int = 0
    covered_branches: int = 0
    missing_lines: list[int] = field(default_factory=list)
    tests: frozenset[str] = frozenset()  # ids of the tests whose context ran any line of it


@dataclass
class CoverageFacts(ToolFacts):
    """Coverage of the single pytest run, per component file (read from the data file)."""

    files: dict[str, FileCoverage] = field(default_factory=dict)
    file_errors: dict[str, str] = field(default_factory=dict)  # file -> why coverage can't
    data_file: str | None = None
    omit: list[str] = field(default_factory=list)  # the target's [report] omit patterns
    omitted: dict[str, frozenset[str]] = field(default_factory=dict)  # removed by omit: tests
    has_contexts: bool = False

    @cached_property
    def touched(self) -> frozenset[str]:
        """Ids of the tests whose context ran a line of any component file."""
        return frozenset().union(*(f.tests for f in self.files.values()), *self.omitted.values())

    def tests_of(self, owns: Callable[[str], bool]) -> set[str]:
        """Ids of the tests whose context ran a line of the files ``owns`` accepts, the
        files the repository's ``[report] omit`` leaves out of the figures included."""
        found: set[str] = set()
        for file, cov in self.files.items():
            if owns(file):
                found |= cov.tests
        for file, tests in self.omitted.items():
            if owns(file):
                found |= tests
        return found
