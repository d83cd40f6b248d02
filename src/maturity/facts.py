"""Facts: what the collectors measured, keyed by file path or test id.

Facts never say pass or fail; criteria do. A collector that could not measure sets
``error`` to the reason and leaves its data empty. All paths are posix and relative
to the repository root.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from maturity.collectors.attested import AttestationFacts, HealthFacts, RollbackFacts
    from maturity.collectors.history import HistoryFacts
    from maturity.collectors.monitoring import MonitoringFacts
    from maturity.collectors.performance import PerformanceFacts
    from maturity.collectors.production import ProductionFacts
    from maturity.collectors.security import SecurityFacts


@dataclass
class ToolFacts:
    """Fields every collector's facts share."""

    error: str | None = None
    command: str | None = None
    tool: str | None = None
    version: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class Finding:
    """One finding of a static analysis tool (ruff, pyright, bandit)."""

    file: str
    line: int | None  # None: the tool gave no location inside the file
    code: str
    message: str
    severity: str  # tool's own severity word, lower-case: error/warning/low/medium/high


@dataclass
class FindingsFacts(ToolFacts):
    """Findings of one tool, plus files it could not analyse."""

    findings: list[Finding] = field(default_factory=list)
    failed_files: dict[str, str] = field(default_factory=dict)  # file -> reason
    general: list[str] = field(default_factory=list)  # diagnostics of no file: the run's


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


@dataclass(frozen=True)
class PublicSymbol:
    """A public function, class or method and whether it has a docstring."""

    file: str
    line: int
    name: str
    kind: str  # function / class / method
    documented: bool


@dataclass
class ReadmeFacts:
    """What a component README contains."""

    path: str
    overview_words: int
    code_blocks: int
    mermaid_blocks: int
    images: list[str] = field(default_factory=list)  # referenced images that exist
    missing_images: list[str] = field(default_factory=list)


@dataclass
class ComponentDocsFacts:
    """Documentation facts of one component directory."""

    readme: ReadmeFacts | None
    symbols: list[PublicSymbol] = field(default_factory=list)
    modules: int = 0
    code_lines: int = 0
    parse_errors: dict[str, str] = field(default_factory=dict)
    diagram_file: str | None = None  # a configured diagram file that exists


@dataclass
class DocsFacts(ToolFacts):
    """Documentation facts keyed by component path."""

    components: dict[str, ComponentDocsFacts] = field(default_factory=dict)


@dataclass(frozen=True)
class Issue:
    """An open issue from the tracker."""

    number: int
    title: str
    labels: tuple[str, ...]
    url: str | None = None
    created_at: str | None = None


@dataclass
class IssuesFacts(ToolFacts):
    """Open issues carrying a component label, from GitHub or a local file."""

    source: str | None = None
    issues: list[Issue] = field(default_factory=list)


@dataclass
class FilesFacts(ToolFacts):
    """Files matching the integration test pattern, keyed by component name."""

    pattern: str = ""
    matches: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class SourcesFacts(ToolFacts):
    """The Python files each component owns (keyed by component name)."""

    files: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Facts:
    """Everything one run collected. A missing entry was not collected at all."""

    tests: TestRunFacts | None = None
    sources: SourcesFacts | None = None
    ruff: FindingsFacts | None = None
    pyright: FindingsFacts | None = None
    bandit: FindingsFacts | None = None
    docs: DocsFacts | None = None
    issues: IssuesFacts | None = None
    integration_files: FilesFacts | None = None
    accepted_risks: AcceptedRisks | None = None
    attestations: AttestationFacts | None = None
    rollback: RollbackFacts | None = None
    health: HealthFacts | None = None
    monitoring: MonitoringFacts | None = None
    integration_tests: TestRunFacts | None = None
    e2e_tests: TestRunFacts | None = None
    performance: PerformanceFacts | None = None
    security: SecurityFacts | None = None
    production: ProductionFacts | None = None
    history: HistoryFacts | None = None

    @property
    def coverage(self) -> CoverageFacts | None:
        """Coverage comes from the single pytest run."""
        return self.tests.coverage if self.tests is not None else None


@dataclass(frozen=True)
class AcceptedRisk:
    """A line of SECURITY_FINDINGS_ACCEPTED_RISKS.md accepting one bandit finding."""

    test_id: str
    file: str
    line: int | None
    source_line: int  # where in the .md file


@dataclass
class AcceptedRisks(ToolFacts):
    """The parsed accepted-risks document (absent file = no entries, no error)."""

    document: str | None = None
    entries: list[AcceptedRisk] = field(default_factory=list)
