"""Criterion records and the registry they live in.

A criterion is data (id, gate, title, blocker category, threshold) plus a pure
function ``(facts, component, config) -> Verdict``. Adding a criterion is adding one
record and one function: nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from maturity.config import Component, MaturityConfig
from maturity.facts import Facts, ToolFacts
from maturity.model import BlockerCategory, CriterionResult, Evidence, Stage, Status


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


Rule = Callable[[Facts, Component, MaturityConfig], Verdict]
F = TypeVar("F", bound=ToolFacts)
EVIDENCE_LIMIT = 50  # evidence items kept per criterion


@dataclass(frozen=True)
class Criterion:
    """One rule of the rulebook."""

    id: str
    gate: Stage
    title: str
    checklist: str  # the spec's checklist wording, may use {threshold}
    blocker_category: BlockerCategory
    threshold: Callable[[MaturityConfig], str]
    needs: tuple[str, ...]  # Facts attributes it reads
    rule: Rule
    bar: Callable[[MaturityConfig], float] | None = None  # the number behind the threshold

    def evaluate(
        self, facts: Facts, component: Component, config: MaturityConfig
    ) -> CriterionResult:
        """Apply the rule and wrap it in a full result."""
        try:
            verdict = self.rule(facts, component, config)
        except NotMeasured as exc:
            verdict = exc.verdict
        threshold = self.threshold(config)
        details = {"checklist": self.checklist.format(threshold=threshold), **verdict.details}
        return CriterionResult(
            id=self.id,
            title=self.title,
            gate=self.gate,
            blocker_category=verdict.blocker_category or self.blocker_category,
            status=verdict.status,
            value=verdict.value,
            display=verdict.display,
            threshold=threshold,
            bar=self.bar(config) if self.bar else None,
            summary=verdict.summary,
            evidence=verdict.evidence,
            commands=verdict.commands,
            details=details,
        )


REGISTRY: list[Criterion] = []


def register(criterion: Criterion) -> Criterion:
    """Add a criterion to the rulebook (ids are unique)."""
    if any(c.id == criterion.id for c in REGISTRY):
        raise ValueError(f"duplicate criterion id {criterion.id}")
    REGISTRY.append(criterion)
    return criterion


def criteria_for(gate: Stage) -> list[Criterion]:
    """The exit criteria of one stage, in rulebook order."""
    import maturity.criteria.development
    import maturity.criteria.production
    import maturity.criteria.staging  # noqa: F401

    return [c for c in REGISTRY if c.gate is gate]


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
