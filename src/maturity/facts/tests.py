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
    duration: float | None = None  # seconds: setup, call and teardown


@dataclass(frozen=True)
class CollectionError:
    """A test file pytest could not collect (import error, syntax error...)."""

    nodeid: str
    file: str
    message: str


@dataclass
class TestSession:
    """One pytest process of the unit run: where it ran, what it found."""

    __test__ = False  # not a pytest test class

    project: str  # the directory it ran from, repo-relative ('.' = the root)
    paths: list[str]  # its test paths, repo-relative
    rootdir: str | None = None  # pytest's rootdir, repo-relative
    inifile: str | None = None  # pytest's config file, repo-relative (None: none)
    interpreter: str | None = None
    command: str = ""  # to run it by hand, from the repository root
    exit_status: int | None = None
    outcomes: dict[str, int] = field(default_factory=dict)
    collection_errors: int = 0
    data_file: str | None = None  # its own coverage data file, repo-relative
    error: str | None = None  # why the session's figures are missing or incomplete

    @property
    def collected(self) -> int:
        """Tests it collected, deselected ones included."""
        return sum(self.outcomes.values())


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
    inifile: str | None = None  # pytest's config file, repo-relative (None: none)
    imports: dict[str, list[str]] = field(default_factory=dict)  # test file -> component files
    interpreter: str | None = None
    interpreter_version: str | None = None
    pytest_version: str | None = None
    coverage: CoverageFacts | None = None  # measured by the same run
    sessions: list[TestSession] = field(default_factory=list)  # one per pytest process

    def session_of(self, path: str) -> TestSession | None:
        """The session that ran a repo-relative test path (the most specific)."""
        found = [
            s
            for s in self.sessions
            if any(path == p or path.startswith(p.rstrip("/") + "/") for p in s.paths)
        ]
        return max(found, key=lambda s: len(s.project), default=None)

    def command_for(self, paths: list[str], extra: str = "") -> str:
        """``python -m pytest <paths>`` as the user runs it by hand: from each session's
        project directory (``cd libs/a && python -m pytest tests``), one command per
        session the paths were run in."""
        tail = f" {extra}" if extra else ""
        groups: dict[str, list[str]] = {}
        for path in paths:
            session = self.session_of(path)
            project = session.project if session is not None else "."
            groups.setdefault(project, []).append(path)
        commands = []
        for project, group in groups.items():
            if project == ".":
                commands.append(f"python -m pytest {' '.join(group)}{tail}")
            else:
                inside = [p.removeprefix(project + "/") for p in group]
                commands.append(f"cd {project} && python -m pytest {' '.join(inside)}{tail}")
        if len(commands) == 1:
            return commands[0]
        return " ; ".join(f"({c})" for c in commands)

    def errors_for(self, tests: list[str], project: str) -> list[CollectionError]:
        """The collection errors that leave a component's figures incomplete: with one
        session, every one; with several, those of the sessions that ran its tests or ran
        from its project directory (a component without tests paths: every one)."""
        if len(self.sessions) <= 1 or not tests:
            return list(self.collection_errors)
        mine = {id(s) for t in tests if (s := self.session_of(t)) is not None}
        mine |= {id(s) for s in self.sessions if s.project == project}
        return [
            e
            for e in self.collection_errors
            if (s := self.session_of(e.file)) is None or id(s) in mine
        ]


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
    # a workspace member's project directory -> the data file its reader read (the
    # combined one, or its line companion), repo-relative, and the omit patterns its own
    # configuration applied ([report] and [run]): its `coverage report` command uses both
    read_from: dict[str, str] = field(default_factory=dict)
    omit_in: dict[str, list[str]] = field(default_factory=dict)

    @cached_property
    def touched(self) -> frozenset[str]:
        """Ids of the tests whose context ran a line of any component file."""
        return frozenset().union(*(f.tests for f in self.files.values()), *self.omitted.values())

    def files_in(self, directory: str) -> list[str]:
        """The measured files that are ``directory`` or lie inside it (as ``paths.under``
        says), in their order: through an index of every file's directories, built once
        for the files measured (a hundred components need not scan every file each)."""
        directory = directory.rstrip("/")
        if directory in ("", "."):
            return list(self.files)
        if directory in self.files:  # a file itself: asked plainly, in order
            return [f for f in self.files if f == directory or f.startswith(f"{directory}/")]
        built = self.__dict__.get("_directories")
        if built is None or built[0] is not self.files or built[1] != len(self.files):
            index: dict[str, list[str]] = {}
            for file in self.files:
                for at, char in enumerate(file):
                    if char == "/":
                        index.setdefault(file[:at], []).append(file)
            built = self.__dict__["_directories"] = (self.files, len(self.files), index)
        return list(built[2].get(directory, ()))

    def tests_of(self, owns: Callable[[str], bool], within: str | None = None) -> set[str]:
        """Ids of the tests whose context ran a line of the files ``owns`` accepts, the
        files the repository's ``[report] omit`` leaves out of the figures included;
        ``within``: a directory every file ``owns`` accepts lies in (only its files are
        asked about)."""
        found: set[str] = set()
        for file in self.files if within is None else self.files_in(within):
            if owns(file):
                found |= self.files[file].tests
        for file, tests in self.omitted.items():
            if owns(file):
                found |= tests
        return found
