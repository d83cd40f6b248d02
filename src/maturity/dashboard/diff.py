"""Two stored runs side by side: per component and criterion, what got worse, what got
better and what changed, the regressions first. A regression is what ``check
--baseline`` calls one at its strictest: met before and not met now, or measured before
and not measurable now."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from maturity.model import ComponentReport, CriterionResult, RunReport, Status

ORDER = ("regressed", "improved", "changed", "new", "gone")


@dataclass
class Change:
    """One criterion of one component in both runs."""

    id: str
    title: str
    kind: str  # one of ORDER
    before: CriterionResult | None
    after: CriterionResult | None

    @property
    def delta(self) -> float | None:
        """The change of a numeric figure (after minus before)."""
        old = self.before.value if self.before else None
        new = self.after.value if self.after else None
        numbers = [v for v in (old, new) if isinstance(v, int | float) and not isinstance(v, bool)]
        return round(float(numbers[1]) - float(numbers[0]), 2) if len(numbers) == 2 else None

    def as_json(self) -> dict[str, Any]:
        """As ``/api/compare`` gives it."""

        def side(c: CriterionResult | None) -> dict[str, Any] | None:
            return None if c is None else {
                "status": c.status.value, "display": c.display, "value": c.value
            }  # fmt: skip

        return {"criterion": self.id, "title": self.title, "kind": self.kind,
                "before": side(self.before), "after": side(self.after),
                "delta": self.delta}  # fmt: skip


@dataclass
class ComponentDiff:
    """One component in both runs."""

    name: str
    before: ComponentReport | None
    after: ComponentReport | None
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0

    def count(self, kind: str) -> int:
        """How many of its criteria changed this way."""
        return sum(c.kind == kind for c in self.changes)

    def as_json(self) -> dict[str, Any]:
        """As ``/api/compare`` gives it."""
        return {
            "component": self.name,
            "before": None if self.before is None else self.before.verdict,
            "after": None if self.after is None else self.after.verdict,
            "stage_before": None if self.before is None else self.before.stage.value,
            "stage_after": None if self.after is None else self.after.stage.value,
            "regressed": self.count("regressed"), "improved": self.count("improved"),
            "unchanged": self.unchanged, "changes": [c.as_json() for c in self.changes],
        }  # fmt: skip


def kind_of(before: CriterionResult | None, after: CriterionResult | None) -> str | None:
    """How one criterion changed; None when it did not."""
    if before is None:
        return "new"
    if after is None:
        return "gone"
    if before.met and not after.met:
        return "regressed"
    if after.status is Status.ERROR and before.status is not Status.ERROR:
        return "regressed"
    if after.met and not before.met:
        return "improved"
    if (before.status, before.display) != (after.status, after.display):
        return "changed"
    return None


def compare(base: RunReport, head: RunReport) -> list[ComponentDiff]:
    """Every component of either run, those with the most regressions first (then the
    most improvements, then by name); within one, its changes regressions first."""
    old = {c.name: c for c in base.components}
    new = {c.name: c for c in head.components}
    out = []
    for name in dict.fromkeys([*new, *old]):
        before, after = old.get(name), new.get(name)
        diff = ComponentDiff(name, before, after)
        was = {c.id: c for c in before.criteria} if before else {}
        now = {c.id: c for c in after.criteria} if after else {}
        for cid in dict.fromkeys([*now, *was]):
            b, a = was.get(cid), now.get(cid)
            kind = kind_of(b, a)
            if kind is None:
                diff.unchanged += 1
            else:
                title = (a or b).title  # type: ignore[union-attr]
                diff.changes.append(Change(cid, title, kind, b, a))
        diff.changes.sort(key=lambda c: ORDER.index(c.kind))
        out.append(diff)
    out.sort(key=lambda d: (-d.count("regressed"), -d.count("improved"), -len(d.changes), d.name))
    return out
