"""The verdicts on one component: each criterion's result with its evidence and waiver,
each stage's criteria as they stand, and the component's status."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, computed_field

from maturity.model.vocabulary import BlockerCategory, GateRole, Stage, Status


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
