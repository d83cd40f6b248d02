"""The result model: what an evaluation says about each component.

These pydantic models are also the versioned JSON report schema (``maturity schema``
prints it). Bump ``SCHEMA_VERSION`` on any incompatible change.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, computed_field

SCHEMA_VERSION = "2.6"

COVERAGE = "dev.coverage"  # the criterion whose value is a component's test coverage %

# Column headings where a criterion's full title does not fit (dashboard, terminal matrix).
SHORT_TITLES = {
    "dev.coverage": "Coverage",
    "dev.unit_tests": "Unit tests",
    "dev.ruff": "Ruff",
    "dev.pyright": "Pyright",
    "dev.security_scan": "Security scan",
    "dev.integration_tests": "Integration tests",
    "dev.documentation": "Docs",
    "dev.blockers": "Blocker issues",
}


class Stage(StrEnum):
    """A maturity stage, in promotion order."""

    DEVELOPMENT = "development"
    STAGING = "staging"
    PRODUCTION = "production"

    @property
    def next(self) -> Stage | None:
        """The stage a component of this stage is promoted to, if any."""
        order = list(Stage)
        index = order.index(self)
        return order[index + 1] if index + 1 < len(order) else None

    @property
    def previous(self) -> list[Stage]:
        """The stages before this one, oldest first."""
        order = list(Stage)
        return order[: order.index(self)]


class Status(StrEnum):
    """The verdict on one criterion for one component."""

    PASS = "pass"  # noqa: S105  # nosec B105 - a status word, not a password
    FAIL = "fail"
    ERROR = "error"  # could not be measured; never counts as met
    WAIVED = "waived"  # not met, but a valid, unexpired waiver lets it pass the gate


class BlockerCategory(StrEnum):
    """The spec's promotion blocker categories (label ``blocker:<category>``)."""

    TESTS = "tests"
    SECURITY = "security"
    PERFORMANCE = "performance"
    DOCUMENTATION = "documentation"
    DEPENDENCIES = "dependencies"
    # not a blocker of the spec: the setup maturity needs is missing or wrong (e.g. no issue
    # source); shown, never filed as a GitHub blocker issue
    CONFIGURATION = "configuration"


class Evidence(BaseModel):
    """One piece of evidence: a finding, a missing item, a failing test."""

    message: str
    file: str | None = None
    line: int | None = None
    url: str | None = Field(default=None, description="A web page for it (e.g. the issue).")
    code: str | None = Field(
        default=None,
        description="The tool's own id for what it found: a ruff or bandit code, a pyright rule,"
        " a detect-secrets type, an advisory id.",
    )

    @property
    def link(self) -> str | None:
        """The URL when it is a web address (http/https) that is safe to link to."""
        if self.url and self.url.startswith(("https://", "http://")):
            return self.url
        return None

    def location(self) -> str:
        """``file:line`` (or just the file), empty when there is no file."""
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line is not None else self.file


class Waiver(BaseModel):
    """A documented exception to one criterion for one component."""

    criterion: str
    justification: str
    approver: str
    expires: str = Field(description="ISO date after which the waiver no longer applies.")
    expired: bool = False
    unmeasurable: bool = Field(
        default=False,
        description="It also waives the criterion when it cannot be measured; without it, "
        "a criterion in error stays error with the waiver attached.",
    )


class CriterionResult(BaseModel):
    """The measured outcome of one criterion for one component."""

    id: str = Field(description="Stable criterion id, e.g. 'dev.coverage'.")
    title: str = Field(description="Human title as in the spec.")
    gate: Stage = Field(description="The stage whose exit criteria this belongs to.")
    blocker_category: BlockerCategory
    status: Status
    value: float | int | str | None = Field(
        default=None, description="The measured value (number where one exists)."
    )
    display: str = Field(description="The measured value as shown to people, e.g. '72.0%'.")
    threshold: str = Field(description="The bar it is measured against, e.g. '>= 70%'.")
    bar: float | None = Field(
        default=None,
        description="The number behind the threshold, in the unit of value (70.0 for '>= 70%');"
        " null where the bar is not one number.",
    )
    summary: str = Field(description="One line: why it passed, failed or errored.")
    remediation: str = Field(default="", description="What to do when it is not met.")
    evidence: list[Evidence] = Field(default_factory=list)
    commands: list[str] = Field(
        default_factory=list, description="Commands that measured it, to reproduce by hand."
    )
    details: dict[str, Any] = Field(default_factory=dict)
    waiver: Waiver | None = Field(
        default=None, description="The waiver applied (or expired) to this result."
    )

    @property
    def met(self) -> bool:
        """A real pass, or a waived result; an error or a failure is never met."""
        return self.status in (Status.PASS, Status.WAIVED)


class Figure(StrEnum):
    """What a criterion's figure counts, for the baseline ratchet (``check --baseline``)."""

    COVERAGE = "coverage"  # value: percent covered; worse when lower
    TESTS = "tests"  # details.counts: failed + error tests; worse when more
    FINDINGS = "findings"  # value: findings counted against the bar; worse when more
    VULNERABILITIES = "vulnerabilities"  # value: vulnerabilities (and audit problems)


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


class GateRole(StrEnum):
    """What a stage's criteria mean for a component, given the stage it holds."""

    ENTRY = "entry"  # a stage before the held one: its exit criteria, kept (else REGRESSED)
    EXIT = "exit"  # the held stage's exit criteria: met = ready for the next stage
    MAINTENANCE = "maintenance"  # production's criteria, while in production (else AT RISK)
    AHEAD = "ahead"  # a stage after the held one, judged on request (run --stage)


class GateStatus(BaseModel):
    """One stage's criteria, as they stand for a component."""

    gate: Stage
    role: GateRole
    met: bool = Field(description="Every criterion of the gate is met (pass or waived).")
    failing: list[str] = Field(default_factory=list, description="Ids of criteria that fail.")
    unmeasured: list[str] = Field(
        default_factory=list, description="Ids of criteria that could not be measured."
    )


class ComponentReport(BaseModel):
    """Everything measured about one component, and its status: computed once by the
    evaluation, read verbatim by every report, ``check``, blockers and the dashboard."""

    name: str
    label: str = Field(description="GitHub label, e.g. 'component:player-experience'.")
    path: str = Field(description="The source directory, repo-relative.")
    project: str = Field(
        default=".",
        description="The project directory (its pyproject.toml, README, tool configuration),"
        " repo-relative; '.' is the repository root.",
    )
    stage: Stage = Field(description="The held stage (declared in the committed config).")
    target: Stage | None = Field(description="The next stage, or None at production.")
    criteria: list[CriterionResult]
    ready: bool = Field(
        description="Ready for the next stage: the held stage's exit criteria are all met, and"
        " it has not regressed."
    )
    regressed: bool = Field(
        description="A criterion of a stage before the held one (its entry criteria) is not met."
    )
    gates: list[GateStatus] = Field(
        default_factory=list, description="Each evaluated stage's criteria and their role."
    )
    next_step: str = Field(default="", description="The single next step for the component.")
    blocking: list[str] = Field(
        default_factory=list, description="Ids of the criteria the next step is about."
    )

    @computed_field(  # type: ignore[prop-decorator]
        description="A production component failing a maintenance criterion (or unmeasured)."
    )
    @property
    def at_risk(self) -> bool:
        """Production components must keep the production criteria: any unmet one is a risk."""
        return any(g.role is GateRole.MAINTENANCE and not g.met for g in self.gates)

    @computed_field(  # type: ignore[prop-decorator]
        description="The status in words, as every surface shows it: 'REGRESSED', 'AT RISK'"
        " (or both), 'READY for <stage>', 'NOT READY for <stage>' or 'maintenance criteria"
        " hold'."
    )
    @property
    def verdict(self) -> str:
        """The one status phrase every report, ``check`` and the dashboard print."""
        flags = [w for w, on in (("REGRESSED", self.regressed), ("AT RISK", self.at_risk)) if on]
        if flags:
            return " and ".join(flags)
        if self.target is None:
            return "maintenance criteria hold"
        return f"{'READY' if self.ready else 'NOT READY'} for {self.target}"

    def open_blockers(self) -> list[CriterionResult]:
        """Its blockers, as ``maturity blockers``, the blocker issues and the dashboard
        count them: the unmet criteria of the stages it holds (entry), of its next
        promotion (exit) or of production (maintenance), as its status says; not those
        of a stage judged ahead on request, nor configuration problems (a setup to fix,
        not a criterion of the component)."""
        gates = {g.gate for g in self.gates if g.role is not GateRole.AHEAD}
        return [
            c
            for c in self.criteria
            if c.gate in gates
            and not c.met
            and c.blocker_category is not BlockerCategory.CONFIGURATION
        ]

    def for_gate(self, gate: Stage) -> list[CriterionResult]:
        """The results of one stage's criteria."""
        return [c for c in self.criteria if c.gate is gate]

    def gate(self, role: GateRole) -> GateStatus | None:
        """The (first) evaluated gate of a role: EXIT is the held stage's exit criteria."""
        return next((g for g in self.gates if g.role is role), None)


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
