"""The baseline ratchet: this run against the run of the commit a change forked from.

``maturity check --baseline REF|FILE`` fails when a criterion that was met in the
baseline is not met now, or a figure got worse beyond its tolerance
(``[tool.maturity.baseline]``): the practice of SonarQube's "clean as you code" gate and
Codecov's patch status. The baseline is a JSON report file, or the run stored for the
merge-base of HEAD and a git ref. With none available the comparison says why, and the
gate is the held stage alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from maturity.config import BaselineConfig
from maturity.criteria import REGISTRY
from maturity.criteria.base import plural
from maturity.git import merge_base
from maturity.model import (
    BaselineComparison,
    ComponentReport,
    CriterionResult,
    Figure,
    Regression,
    RunReport,
    Status,
)
from maturity.report.json_report import read_report

if TYPE_CHECKING:  # the store's libraries are imported when a stored run is looked up
    from maturity.store import Store

FIGURES = {c.id: c.figure for c in REGISTRY if c.figure is not None}
NOT_MET_WORD = {Status.FAIL: "fail", Status.ERROR: "could not measure"}


def load_baseline(
    requested: str, root: Path, store: Store | None
) -> tuple[RunReport | None, BaselineComparison]:
    """The baseline report ``--baseline`` names, and the comparison to fill (its note
    says why there is none). A file that is not a maturity JSON report is a usage error."""
    comparison = BaselineComparison(requested=requested)
    path = Path(requested)
    if path.is_file():
        report = read_report(path, f"--baseline {requested}")
        comparison.source = f"report file {requested}"
        return report, _about(comparison, report)
    base, why = merge_base(root, requested)
    if base is None:
        comparison.note = f"no report file {requested!r}, and {why}"
        return None, comparison
    if store is None:
        comparison.note = f"no history store to find the run of merge-base {base[:12]}"
        return None, comparison
    from maturity.store import latest_run

    found = latest_run(store, base)
    if found is None:
        comparison.note = f"no run stored for {base[:12]}, the merge-base with {requested}"
        return None, comparison
    comparison.source = f"run #{found[0]} stored for {base[:12]}, the merge-base with {requested}"
    return found[1], _about(comparison, found[1])


def _about(comparison: BaselineComparison, report: RunReport) -> BaselineComparison:
    comparison.commit = report.git.commit
    comparison.timestamp = report.timestamp
    if report.git.dirty:
        comparison.source = f"{comparison.source} (measured on a dirty tree)"
    return comparison


def figure(result: CriterionResult) -> float | None:
    """The number the ratchet compares for a criterion, None when it has none."""
    kind = FIGURES.get(result.id)
    if kind is None or result.status is Status.ERROR:
        return None
    if kind is Figure.TESTS:
        counts = result.details.get("counts")
        if not isinstance(counts, dict):
            return None
        return float(counts.get("failed", 0) + counts.get("error", 0))
    if kind is Figure.VULNERABILITIES and isinstance(result.details.get("vulnerabilities"), list):
        return float(len(result.details["vulnerabilities"]))
    return float(result.value) if isinstance(result.value, int | float) else None


def _state(result: CriterionResult) -> str:
    word = NOT_MET_WORD.get(result.status, result.status.value)
    return f"{word} ({result.display})"


def _worse(
    kind: Figure, before: float, after: float, tolerance: BaselineConfig
) -> tuple[str, str, str] | None:
    """(before, after, why) when ``after`` is worse than ``before`` beyond the tolerance."""
    if kind is Figure.COVERAGE:
        drop = round(before - after, 2)
        if drop > tolerance.coverage:
            why = f"-{drop:.2f} pt, more than the tolerance of {tolerance.coverage} pt"
            return f"{before:.2f}%", f"{after:.2f}%", why
        return None
    (word, many), allowed = {
        Figure.TESTS: (("failing test", "failing tests"), tolerance.tests),
        Figure.FINDINGS: (("finding", "findings"), tolerance.findings),
        Figure.VULNERABILITIES: (("vulnerability", "vulnerabilities"), tolerance.vulnerabilities),
    }[kind]
    more = int(after - before)
    if more > allowed:
        why = f"+{plural(more, word, many)}, more than the tolerance of {allowed}"
        return plural(int(before), word, many), plural(int(after), word, many), why
    return None


def _regression(
    before: CriterionResult, now: CriterionResult, tolerance: BaselineConfig
) -> tuple[str, str, str] | None:
    """(before, after, why) when ``now`` is worse than ``before``, else None."""
    if before.met and not now.met:
        return before.display, _state(now), "met in the baseline, not met now"
    if now.status is Status.ERROR and before.status is not Status.ERROR:
        # a failing figure that can no longer be measured may have got worse: never silent
        return _state(before), _state(now), "measured in the baseline, could not measure now"
    kind = FIGURES.get(now.id)
    old, new = figure(before), figure(now)
    if kind is None or old is None or new is None:
        return None
    return _worse(kind, old, new, tolerance)


def _component(
    base: ComponentReport, now: ComponentReport, tolerance: BaselineConfig
) -> list[Regression]:
    was = {c.id: c for c in base.criteria}
    found: list[Regression] = []
    for result in now.criteria:
        before = was.get(result.id)
        worse = _regression(before, result, tolerance) if before is not None else None
        if worse is not None:
            found.append(
                Regression(
                    component=now.name,
                    criterion=result.id,
                    title=result.title,
                    before=worse[0],
                    after=worse[1],
                    reason=worse[2],
                )
            )
    return found


def compare(
    baseline: RunReport,
    current: RunReport,
    comparison: BaselineComparison,
    tolerance: BaselineConfig,
) -> BaselineComparison:
    """Every regression of ``current`` against ``baseline``, component by component."""
    base = {c.name: c for c in baseline.components}
    for comp in current.components:
        if comp.name not in base:
            comparison.new_components.append(comp.name)
            continue
        comparison.regressions += _component(base[comp.name], comp, tolerance)
    return comparison
