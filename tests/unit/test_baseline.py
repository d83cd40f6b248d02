"""The baseline ratchet on hand-made reports: what counts as a regression, with both figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from maturity.baseline import compare, figure, load_baseline
from maturity.config import BaselineConfig
from maturity.errors import UsageError
from maturity.model import BaselineComparison, RunReport, Status
from maturity.report.markdown import pr_summary
from tests.unit.test_reports import crit, make_report

TOLERANCE = BaselineConfig()


def with_criteria(report: RunReport, name: str, *results) -> RunReport:
    comp = report.component(name)
    by_id = {r.id: r for r in results}
    comp.criteria = [by_id.pop(c.id, c) for c in comp.criteria] + list(by_id.values())
    return report


def regressions(before: RunReport, after: RunReport) -> list[tuple[str, str, str]]:
    found = compare(before, after, BaselineComparison(requested="x"), TOLERANCE)
    return [(r.component, r.criterion, r.line()) for r in found.regressions]


def coverage(value: float) -> object:
    return crit("dev.coverage", "Test coverage", Status.PASS, f"{value}%", value=value)


def test_the_same_report_has_no_regression() -> None:
    assert regressions(make_report(), make_report()) == []


@pytest.mark.parametrize(("now", "regressed"), [(71.91, False), (71.9, False), (71.89, True)])
def test_coverage_may_drop_by_the_tolerance_and_no_more(now: float, regressed: bool) -> None:
    before = with_criteria(make_report(), "player_experience", coverage(72.0))
    after = with_criteria(make_report(), "player_experience", coverage(now))
    found = regressions(before, after)
    assert bool(found) is regressed
    if regressed:
        assert found == [
            (
                "player_experience",
                "dev.coverage",
                f"player_experience: Test coverage: 72.00% → {now:.2f}% (-0.11 pt, more than"
                " the tolerance of 0.1 pt)",
            )
        ]


def test_a_criterion_met_before_and_not_now_names_both_figures() -> None:
    after = with_criteria(
        make_report(),
        "player_experience",
        crit("dev.ruff", "Linting clean (ruff)", Status.FAIL, "1 finding", value=1),
    )
    assert regressions(make_report(), after) == [
        (
            "player_experience",
            "dev.ruff",
            "player_experience: Linting clean (ruff): 0 findings → fail (1 finding) (met in the"
            " baseline, not met now)",
        )
    ]


def test_could_not_measure_now_is_a_regression_of_a_criterion_that_was_met() -> None:
    after = with_criteria(
        make_report(),
        "player_experience",
        crit("dev.ruff", "Linting clean (ruff)", Status.ERROR, "not measured"),
    )
    (found,) = regressions(make_report(), after)
    assert found[2].endswith(
        ": 0 findings → could not measure (not measured) (met in the baseline, not met now)"
    )


def test_a_failing_criterion_that_cannot_be_measured_now_is_a_regression() -> None:
    before = with_criteria(
        make_report(),
        "ai_components",
        crit("dev.ruff", "Linting clean (ruff)", Status.FAIL, "7 findings", value=7),
    )
    after = with_criteria(
        make_report(),
        "ai_components",
        crit("dev.ruff", "Linting clean (ruff)", Status.ERROR, "not measured"),
    )
    assert regressions(before, after) == [
        (
            "ai_components",
            "dev.ruff",
            "ai_components: Linting clean (ruff): fail (7 findings) → could not measure (not"
            " measured) (measured in the baseline, could not measure now)",
        )
    ]
    assert regressions(after, after) == []  # not measured in either run: nothing to compare


def test_one_more_finding_of_a_criterion_failing_in_both_runs() -> None:
    def ruff(n: int) -> object:
        return crit("dev.ruff", "Linting clean (ruff)", Status.FAIL, f"{n} findings", value=n)

    before = with_criteria(make_report(), "ai_components", ruff(7))
    assert regressions(before, with_criteria(make_report(), "ai_components", ruff(7))) == []
    assert regressions(before, with_criteria(make_report(), "ai_components", ruff(6))) == []
    assert regressions(before, with_criteria(make_report(), "ai_components", ruff(8))) == [
        (
            "ai_components",
            "dev.ruff",
            "ai_components: Linting clean (ruff): 7 findings → 8 findings (+1 finding, more"
            " than the tolerance of 0)",
        )
    ]


def test_one_more_failing_test_counts_failed_and_errored_tests() -> None:
    def unit(counts: dict[str, int]) -> object:
        status = Status.FAIL if counts.get("failed") or counts.get("error") else Status.PASS
        return crit(
            "dev.unit_tests", "All unit tests passing", status, "…",
            details={"checklist": "x", "counts": counts},
        )  # fmt: skip

    before = with_criteria(make_report(), "ai_components", unit({"passed": 9, "failed": 1}))
    after = with_criteria(
        make_report(), "ai_components", unit({"passed": 8, "failed": 1, "error": 1})
    )
    assert figure(after.component("ai_components").criteria[-1]) == 2.0
    assert regressions(before, after) == [
        (
            "ai_components",
            "dev.unit_tests",
            "ai_components: All unit tests passing: 1 failing test → 2 failing tests (+1 failing"
            " test, more than the tolerance of 0)",
        )
    ]


def test_new_components_and_new_criteria_have_nothing_to_regress_from() -> None:
    before = make_report()
    before.components = before.components[:1]
    found = compare(before, make_report(), BaselineComparison(requested="x"), TOLERANCE)
    assert found.regressions == [] and found.new_components == ["ai_components"]


def test_the_step_summary_names_each_regression_with_both_figures() -> None:
    after = with_criteria(
        make_report(),
        "player_experience",
        crit("dev.ruff", "Linting clean (ruff)", Status.FAIL, "1 finding", value=1),
    )
    after.baseline = compare(
        make_report(), after, BaselineComparison(requested="main", source="run #3"), TOLERANCE
    )
    text = pr_summary(after)
    assert "### Against the baseline (run #3)" in text
    assert (
        "| player_experience | Linting clean (ruff) | 0 findings | fail (1 finding) |"
        " met in the baseline, not met now |"
    ) in text


def test_a_baseline_file_that_is_no_report_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "base.json"
    bad.write_text("{not json")
    with pytest.raises(UsageError, match=r"--baseline .*base\.json: not a maturity JSON report"):
        load_baseline(str(bad), tmp_path, None)


def test_no_file_and_no_git_is_no_baseline_with_the_reason(tmp_path: Path) -> None:
    report, comparison = load_baseline("origin/main", tmp_path, None)
    assert report is None and comparison.source is None
    assert comparison.note.startswith("no report file 'origin/main', and 'origin/main' is not")
    comparison_only = make_report()
    comparison_only.baseline = comparison
    assert "**No baseline**: no report file 'origin/main'" in pr_summary(comparison_only)
