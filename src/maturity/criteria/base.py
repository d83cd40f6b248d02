"""Criterion records and the registry they live in.

A criterion is one record — id, gate, title, blocker category, its bar as a number and
as shown, what to do when it fails, the facts it needs — beside one pure function
``(facts, component, config, now) -> Verdict`` in the module of its topic under its
gate (``criteria/development/static.py`` …). Adding a criterion is adding the record
and the function there; the evaluation, the reports and the dashboard pick it up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from maturity.config import MaturityConfig
from maturity.facts import Facts, ToolFacts
from maturity.model import BlockerCategory, CriterionResult, Evidence, Figure, Stage, Status
from maturity.project import Component


@dataclass
class Verdict:
    """What a criterion function decides; the record supplies the rest."""

    status: Status
    display: str
    summary: str
    value: float | int | str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    blocker_category: BlockerCategory | None = None  # overrides the record's


Rule = Callable[[Facts, Component, MaturityConfig, datetime], Verdict]
F = TypeVar("F", bound=ToolFacts)
# Evidence items without a file kept per criterion. An item with a file is a finding at a
# place (a ruff finding, a missing docstring, an uncovered file…): every one is kept, so the
# JSON report and the SARIF carry all of them; the count of dropped items is in
# ``details["evidence_omitted"]``.
EVIDENCE_LIMIT = 50


def cap_evidence(evidence: list[Evidence]) -> tuple[list[Evidence], int]:
    """Every item with a file, and the first ``EVIDENCE_LIMIT`` without one, in their order;
    and how many were left out."""
    kept: list[Evidence] = []
    unlocated = 0
    for item in evidence:
        if item.file is None:
            unlocated += 1
            if unlocated > EVIDENCE_LIMIT:
                continue
        kept.append(item)
    return kept, len(evidence) - len(kept)


def _no_number(config: MaturityConfig) -> float | None:
    return None


@dataclass(frozen=True, kw_only=True)
class Criterion:
    """One rule of the rulebook: the record and the function that measures it."""

    id: str  # stable: "dev.coverage"
    gate: Stage  # the stage whose exit (or, at production, maintenance) criteria it is
    number: int  # its number in the spec's list for the gate: the rulebook's order
    title: str  # the spec's name for it
    checklist: str  # the spec's checklist wording, may use {threshold}
    category: BlockerCategory  # label blocker:<category> when it fails
    shown: Callable[[MaturityConfig], str]  # the bar as people read it: "≥70%"
    remediation: str  # what to do when it is not met
    needs: tuple[str, ...]  # the Facts attributes it reads (each filled by a collector)
    rule: Rule
    bar: Callable[[MaturityConfig], float | None] = _no_number  # the bar as a number
    figure: Figure | None = None  # what its figure counts, for the baseline ratchet

    def evaluate(
        self,
        facts: Facts,
        component: Component,
        config: MaturityConfig,
        now: datetime | None = None,
    ) -> CriterionResult:
        """Apply the rule (at ``now``, default the current time) and wrap its result."""
        at = now or datetime.now(UTC)
        try:
            verdict = self.rule(facts, component, config, at)
        except NotMeasured as exc:
            verdict = exc.verdict
        threshold = self.shown(config)
        details = {"checklist": self.checklist.format(threshold=threshold), **verdict.details}
        evidence, omitted = cap_evidence(verdict.evidence)
        if omitted:
            details["evidence_omitted"] = omitted
        return CriterionResult(
            id=self.id,
            title=self.title,
            gate=self.gate,
            blocker_category=verdict.blocker_category or self.category,
            status=verdict.status,
            value=verdict.value,
            display=verdict.display,
            threshold=threshold,
            bar=self.bar(config),
            summary=verdict.summary,
            remediation=self.remediation,
            evidence=evidence,
            commands=verdict.commands,
            details=details,
        )


REGISTRY: list[Criterion] = []


def register(criterion: Criterion) -> Criterion:
    """Add a criterion to the rulebook (ids are unique)."""
    if any(c.id == criterion.id for c in REGISTRY):
        raise ValueError(f"duplicate criterion id {criterion.id}")
    if any(c.gate is criterion.gate and c.number == criterion.number for c in REGISTRY):
        raise ValueError(f"two {criterion.gate} criteria numbered {criterion.number}")
    REGISTRY.append(criterion)
    return criterion


def criteria_for(gate: Stage) -> list[Criterion]:
    """The exit criteria of one stage, in the spec's order (``maturity.criteria`` loads them)."""
    return sorted((c for c in REGISTRY if c.gate is gate), key=lambda c: c.number)


def not_measured(facts: ToolFacts | None, what: str) -> Verdict | None:
    """An ``error`` verdict when the facts are missing or carry an error, else None."""
    if facts is None:
        return Verdict(Status.ERROR, "not measured", f"{what} was not collected")
    if facts.error:
        commands = [facts.command] if facts.command else []
        return Verdict(Status.ERROR, "not measured", f"{what}: {facts.error}", commands=commands)
    return None


class NotMeasured(Exception):
    """Raised by :func:`require`: the criterion could not be measured; carries the verdict."""

    def __init__(self, verdict: Verdict) -> None:
        super().__init__(verdict.summary)
        self.verdict = verdict


def require(facts: F | None, what: str) -> F:
    """The facts a rule needs; raises :class:`NotMeasured` (an ``error`` verdict) when they
    were not collected or carry an error. ``Criterion.evaluate`` turns it into the result."""
    problem = not_measured(facts, what)
    if problem is not None or facts is None:
        raise NotMeasured(problem or Verdict(Status.ERROR, "not measured", f"{what} missing"))
    return facts


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 finding`` / ``3 findings`` (``many`` for irregular plurals)."""
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def files_not_measured(problems: dict[str, str], said: str, commands: list[str]) -> Verdict:
    """``error`` for files a tool could not read (file -> why): ``said`` then the first
    file and its reason as the summary, every file as evidence."""
    file, reason = next(iter(problems.items()))
    return Verdict(
        Status.ERROR,
        "not measured",
        f"{said}{file}: {reason}",
        evidence=[Evidence(message=why, file=f) for f, why in problems.items()],
        commands=commands,
    )
