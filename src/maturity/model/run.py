"""One run's report, the document ``maturity run --json`` writes: where and with what it
was measured, every component's report, the account of every test, and what was reused,
carried or compared against a baseline."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from maturity.model.verdicts import ComponentReport
from maturity.model.vocabulary import Stage

SCHEMA_VERSION = "2.6"  # of the whole report (maturity.model): bump on an incompatible change


class ToolInfo(BaseModel):
    """Which tool measured, and where it lives."""

    name: str
    version: str | None
    path: str | None = None


class GitInfo(BaseModel):
    """Where in history the run was taken."""

    commit: str | None
    branch: str | None
    dirty: bool | None


class TestSessionReport(BaseModel):
    """One pytest process of the unit run."""

    __test__ = False  # not a pytest test class

    project: str = Field(description="The directory it ran from, repo-relative ('.': the root).")
    paths: list[str] = Field(description="Its test paths, repo-relative.")
    rootdir: str | None = Field(description="pytest's rootdir, repo-relative.")
    config_file: str | None = Field(description="pytest's config file, repo-relative, or null.")
    interpreter: str | None = Field(description="The interpreter it ran in.")
    command: str = Field(description="The command to run it by hand from the repository root.")
    exit_status: int | None = Field(description="pytest's exit status.")
    collected: int = Field(description="Tests it collected (deselected ones included).")
    outcomes: dict[str, int] = Field(description="Its tests per outcome.")
    collection_errors: int = Field(description="Test files it could not collect.")
    data_file: str | None = Field(
        description="Its own coverage data file, repo-relative (combined into the run's)."
    )
    error: str | None = Field(description="Why its figures are missing or incomplete.")

    def line(self) -> str:
        """One line for the terminal and Markdown: where, config, counts."""
        outcomes = ", ".join(f"{n:,} {o}" for o, n in sorted(self.outcomes.items()))
        text = (
            f"{self.project}/: rootdir {self.rootdir or '?'}, config"
            f" {self.config_file or 'none'}, interpreter {self.interpreter or '?'};"
            f" {self.collected:,} collected" + (f" ({outcomes})" if outcomes else "")
        )
        if self.collection_errors:
            text += f"; {self.collection_errors:,} files could not be collected"
        if self.error:
            text += f" (error: {self.error})"
        return text


class TestAccount(BaseModel):
    """Every test of the unit run: how many ran, how each was attributed, which to none."""

    __test__ = False  # not a pytest test class

    collected: int = Field(description="Tests pytest collected (deselected ones included).")
    ran: int = Field(description="Tests that ran: passed, failed, error, xfailed, xpassed.")
    outcomes: dict[str, int] = Field(
        description="Tests per outcome: passed, failed, error, skipped, xfailed, xpassed,"
        " deselected, not run."
    )
    attributed: dict[str, int] = Field(
        description="Distinct tests each method attributed to some component (marker, tests"
        " path, coverage contexts, imports); a test attributed to several components by"
        " different methods counts under each."
    )
    unattributed_count: int = Field(description="Tests attributed to no component.")
    unattributed: list[str] = Field(description="Node ids of the tests attributed to none.")
    collection_errors: int = Field(default=0, description="Test files pytest could not collect.")
    error: str | None = Field(
        default=None, description="Why the run is incomplete (then its figures are partial)."
    )
    sessions: list[TestSessionReport] = Field(
        default_factory=list,
        description="The pytest processes of the run: one for the src/<pkg> layout, one per"
        " project directory with its own tests in a workspace.",
    )
    durations: dict[str, float] = Field(
        default_factory=dict,
        description="Seconds each test that ran took (setup, call and teardown), by node id:"
        " what `run --shard K/N` balances the next sharded run's tests on.",
    )

    def summary(self) -> str:
        """One line for every surface: what ran, how it was attributed, what belongs to none."""
        outcomes = ", ".join(f"{n:,} {o}" for o, n in sorted(self.outcomes.items()))
        methods = ", ".join(f"{m} {n:,}" for m, n in self.attributed.items())
        text = (
            f"{self.collected:,} tests collected, {self.ran:,} ran"
            + (f" ({outcomes})" if outcomes else "")
            + f"; attributed by {methods}; {self.unattributed_count:,} attributed to no component"
        )
        if self.collection_errors:
            text += f"; {self.collection_errors:,} test files could not be collected"
        if self.error:
            text += f" (incomplete: {self.error})"
        return text


class Notice(BaseModel):
    """Something a tool said about the whole run rather than about one file."""

    tool: str
    message: str


class VulnerabilitySighting(BaseModel):
    """A known vulnerability of a dependency of a component whose security patching is judged."""

    component: str
    vulnerability: str = Field(description="The advisory id, e.g. 'GHSA-…' or 'PYSEC-…'.")
    package: str = Field(description="The affected distribution.")
    version: str = Field(description="Its installed version.")
    severity: str | None = Field(
        description="critical, high, medium or low; null when the advisory gives none."
    )
    first_seen: datetime = Field(
        description="When a stored run first saw it (the evaluation time when none had)."
    )


class CachedFacts(BaseModel):
    """Facts a run reused from the fact cache: nothing they were measured from changed."""

    collector: str = Field(description="Which facts (tests, ruff, pyright, bandit, docs, …).")
    run: str = Field(description="The run directory (.maturity/runs/<name>) that measured them.")


class CarriedAccount(BaseModel):
    """What ``--changed-since`` did with one collector's facts."""

    collector: str = Field(description="Which facts (tests, ruff, pyright, bandit, docs, …).")
    carried: bool = Field(description="Some of them were carried from REF's run.")
    how: str = Field(description="What was measured now and what was carried, or why all was.")


class ChangedSince(BaseModel):
    """A ``--changed-since REF`` run: what changed, and which facts came from REF's run."""

    ref: str = Field(description="The ref given.")
    commit: str = Field(description="Its commit, whose kept facts were carried.")
    changes: str = Field(description="How many files differ from it (added, modified, …).")
    files: list[str] = Field(default_factory=list, description="The files that differ.")
    source: str | None = Field(
        default=None, description="The run whose facts were carried (null: none kept)."
    )
    note: str | None = Field(default=None, description="Why nothing was carried, if so.")
    collectors: list[CarriedAccount] = Field(default_factory=list)

    def line(self) -> str:
        """One line: which facts were carried, which measured, since which commit."""
        head = f"--changed-since {self.ref} ({self.commit[:12]}): {self.changes} changed"
        if self.note:
            return f"{head}; {self.note}"
        carried = [c.collector for c in self.collectors if c.carried]
        measured = [c.collector for c in self.collectors if not c.carried]
        parts = [f"carried from run {self.source}: {', '.join(carried) or 'nothing'}"]
        if measured:
            parts.append(f"measured in full: {', '.join(measured)}")
        return f"{head}; " + "; ".join(parts)


class Regression(BaseModel):
    """One way a component got worse than in the baseline run."""

    component: str
    criterion: str = Field(description="Criterion id, e.g. 'dev.coverage'.")
    title: str
    before: str = Field(description="The baseline's figure (or status), as people read it.")
    after: str = Field(description="This run's figure (or status), as people read it.")
    reason: str = Field(description="Why it counts as a regression (the change, the tolerance).")

    def line(self) -> str:
        """One line with both figures, as every surface prints it."""
        return f"{self.component}: {self.title}: {self.before} → {self.after} ({self.reason})"


class BaselineComparison(BaseModel):
    """This run against a baseline run (``check --baseline REF|FILE``)."""

    requested: str = Field(description="What --baseline named: a report file or a git ref.")
    source: str | None = Field(
        default=None, description="Where the baseline came from; None when there was none."
    )
    commit: str | None = Field(default=None, description="The baseline run's commit.")
    timestamp: str | None = Field(default=None, description="When the baseline was measured.")
    note: str = Field(
        default="", description="Why there is no baseline (then only the held stage gates)."
    )
    regressions: list[Regression] = Field(default_factory=list)
    new_components: list[str] = Field(
        default_factory=list, description="Components the baseline does not have."
    )


class RunReport(BaseModel):
    """One ``maturity run``: the document written by ``--json``."""

    schema_version: str = SCHEMA_VERSION
    tool: str = "maturity"
    tool_version: str
    timestamp: str = Field(description="UTC ISO-8601 time the run started.")
    repo: str = Field(description="Absolute path of the measured repository.")
    git: GitInfo
    interpreter: str = Field(description="Interpreter the target's tests ran in.")
    interpreter_version: str | None
    tools: list[ToolInfo]
    stages: list[Stage] = Field(description="Which stages' exit criteria were evaluated.")
    components: list[ComponentReport]
    tests: TestAccount | None = Field(
        default=None, description="The unit test run's account of every test (null: not run)."
    )
    notices: list[Notice] = Field(
        default_factory=list, description="Tool diagnostics without a file, shown once."
    )
    sightings: list[VulnerabilitySighting] = Field(
        default_factory=list,
        description="Known vulnerabilities of each component whose security patching was"
        " judged (the history store keeps when each was first and last seen).",
    )

    cached: list[CachedFacts] = Field(
        default_factory=list,
        description="Facts reused from the fact cache (empty: everything was measured now).",
    )
    baseline: BaselineComparison | None = Field(
        default=None, description="The comparison with a baseline run (check --baseline)."
    )
    changed_since: ChangedSince | None = Field(
        default=None,
        description="--changed-since REF: the facts carried from REF's run (null: a full run).",
    )

    def cache_line(self) -> str | None:
        """Which facts came from the fact cache and which runs measured them; None when
        everything was measured by this run."""
        if not self.cached:
            return None
        runs: dict[str, list[str]] = {}
        for item in self.cached:
            runs.setdefault(item.run, []).append(item.collector)
        parts = [f"{', '.join(names)} (measured by run {run})" for run, names in runs.items()]
        return (
            "reused from the fact cache, nothing they read changed: "
            + "; ".join(parts)
            + " — --no-cache measures again"
        )

    def component(self, name: str) -> ComponentReport:
        """The report of one component; KeyError when unknown."""
        for comp in self.components:
            if comp.name == name:
                return comp
        raise KeyError(name)

    def status_line(self) -> str:
        """The count of each status, as the component lines say it (every surface prints it)."""
        comps = self.components
        line = f"{len(comps)} components: {sum(c.ready for c in comps)} ready for their next stage"
        if regressed := sum(c.regressed for c in comps):
            line += f", {regressed} regressed"
        if at_risk := sum(c.at_risk for c in comps):
            line += f", {at_risk} at risk in production"
        return line
