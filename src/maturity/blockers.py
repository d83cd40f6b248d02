"""Blockers: failing criteria grouped by the spec's categories, and their GitHub issues.

``sync`` makes GitHub match the latest run: one open issue per component and blocker
category (labels ``component:<name>`` and ``blocker:<category>``), its body updated
when the evidence changes, closed with a comment when resolved, never duplicated.
Issues maturity manages carry a hidden marker, so hand-written blocker issues are
never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from maturity.github import GitHub
from maturity.model import (
    BlockerCategory,
    ComponentReport,
    CriterionResult,
    RunReport,
    Status,
)

CONFIGURATION = BlockerCategory.CONFIGURATION

MARKER = "<!-- maturity-blocker {component} {category} -->"
EVIDENCE_SHOWN = 10


@dataclass
class Blocker:
    """The failing criteria of one component in one blocker category."""

    component: ComponentReport
    category: str
    criteria: list[CriterionResult]

    @property
    def labels(self) -> list[str]:
        """The spec's labels for this blocker issue."""
        return [self.component.label, f"blocker:{self.category}"]

    @property
    def title(self) -> str:
        """A stable title (the body carries the figures)."""
        slug = self.component.label.removeprefix("component:")
        return f"{slug}: {self.category} blockers"

    def body(self) -> str:
        """The failing criteria with their figures and evidence."""
        lines = [
            MARKER.format(component=self.component.name, category=self.category),
            f"`{self.component.name}` ({self.component.stage}) does not meet these criteria"
            f" for promotion to {self.component.target}:",
            "",
        ]
        for crit in self.criteria:
            word = "could not measure" if crit.status is Status.ERROR else "fails"
            lines.append(
                f"- **{crit.title}** {word}: {crit.summary} (measured {crit.display},"
                f" bar {crit.threshold})"
            )
            for ev in crit.evidence[:EVIDENCE_SHOWN]:
                where = f"`{ev.location()}` " if ev.location() else ""
                lines.append(f"  - {where}{ev.message}")
            if len(crit.evidence) > EVIDENCE_SHOWN:
                lines.append(f"  - … and {len(crit.evidence) - EVIDENCE_SHOWN} more")
            if crit.commands:
                lines.append(f"  - check: `{crit.commands[0]}`")
        lines += [
            "",
            "_Managed by maturity: updated when the evidence changes, closed when resolved._",
        ]
        return "\n".join(lines) + "\n"


def blockers_of(report: RunReport) -> list[Blocker]:
    """What blocks each component, by category: the unmet criteria of the stages it holds
    (entry), of its next promotion (exit) or of production (maintenance), as its status
    says; not those of a stage judged ahead on request, nor configuration problems."""
    found: list[Blocker] = []
    for comp in report.components:
        unmet = comp.open_blockers()
        by_category: dict[str, list[CriterionResult]] = {}
        for crit in unmet:
            by_category.setdefault(crit.blocker_category.value, []).append(crit)
        found += [Blocker(comp, cat, crits) for cat, crits in sorted(by_category.items())]
    return found


@dataclass
class SyncPlan:
    """What ``blockers sync`` will do, or did."""

    create: list[Blocker] = field(default_factory=list)
    update: list[tuple[int, Blocker]] = field(default_factory=list)
    close: list[tuple[int, str]] = field(default_factory=list)  # number, title
    unchanged: list[int] = field(default_factory=list)

    def describe(self) -> list[str]:
        """One line per action."""
        return (
            [f"create: {b.title} [{', '.join(b.labels)}]" for b in self.create]
            + [f"update #{n}: {b.title}" for n, b in self.update]
            + [f"close #{n}: {title} (resolved)" for n, title in self.close]
            + [f"unchanged #{n}" for n in self.unchanged]
        )


def _marker_of(issue: dict[str, Any]) -> tuple[str, str] | None:
    body = issue.get("body") or ""
    start = body.find("<!-- maturity-blocker ")
    if start < 0:
        return None
    words = body[start:].split(" ", 4)
    return (words[2], words[3]) if len(words) >= 4 else None


def plan_sync(report: RunReport, gh: GitHub) -> SyncPlan:
    """Compare the blockers of the run with the open issues maturity manages."""
    wanted = {(b.component.name, b.category): b for b in blockers_of(report)}
    plan = SyncPlan()
    seen: set[tuple[str, str]] = set()
    for comp in report.components:
        for issue in gh.list_issues([comp.label]):
            key = _marker_of(issue)
            if key is None or key[0] != comp.name:
                continue
            if key in seen:  # a duplicate someone made: close it too
                plan.close.append((issue["number"], issue["title"]))
                continue
            seen.add(key)
            blocker = wanted.get(key)
            if blocker is None:
                plan.close.append((issue["number"], issue["title"]))
            elif issue.get("body") != blocker.body() or issue["title"] != blocker.title:
                plan.update.append((issue["number"], blocker))
            else:
                plan.unchanged.append(issue["number"])
    plan.create = [b for key, b in wanted.items() if key not in seen]
    return plan


def apply_sync(plan: SyncPlan, report: RunReport, gh: GitHub) -> None:
    """Carry out a plan on GitHub."""
    for blocker in plan.create:
        gh.create_issue(blocker.title, blocker.body(), blocker.labels)
    for number, blocker in plan.update:
        gh.update_issue(number, title=blocker.title, body=blocker.body())
    for number, _ in plan.close:
        commit = report.git.commit or "the working tree"
        gh.comment(number, f"Resolved: every criterion of this category passes at {commit}.")
        gh.update_issue(number, state="closed")
