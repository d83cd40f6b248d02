"""Renderers: JSON round trip, the spec's promotion issue, terminal text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from maturity.evaluate import gate_status, next_step
from maturity.model import (
    BlockerCategory,
    ComponentReport,
    CriterionResult,
    Evidence,
    GitInfo,
    Notice,
    RunReport,
    Stage,
    Status,
    TestAccount,
    ToolInfo,
)
from maturity.project import Component
from maturity.report.json_report import json_schema, to_json, write_json
from maturity.report.markdown import (
    pr_summary,
    promotion_issue,
    render_issue_markdown,
    render_markdown,
)
from maturity.report.terminal import render_terminal

DEV = Stage.DEVELOPMENT


def crit(cid: str, title: str, status: Status, display: str, **kw: object) -> CriterionResult:
    data: dict[str, object] = {
        "id": cid,
        "title": title,
        "gate": DEV,
        "blocker_category": BlockerCategory.TESTS,
        "status": status,
        "display": display,
        "threshold": "bar",
        "summary": f"summary of {cid}",
        "details": {"checklist": title},
    }
    data.update(kw)
    return CriterionResult.model_validate(data)


def decided(comp: ComponentReport) -> ComponentReport:
    """A hand-made component report with the status the evaluation gives its criteria."""
    held = Component(name=comp.name, path=comp.path, stage=comp.stage, marker=comp.name, tests=[])
    order = list(Stage)
    evaluated = [g for g in order if order.index(g) <= order.index(comp.stage)]
    gates = [
        gate_status(g, comp.stage, comp.criteria)
        for g in evaluated
        if any(c.gate is g for c in comp.criteria)
    ]
    exit_ = next((g for g in gates if g.role.value == "exit"), None)
    regressed = any(g.role.value == "entry" and not g.met for g in gates)
    ready = exit_ is not None and exit_.met and not regressed
    step, blocking = next_step(held, gates, comp.criteria, ready)
    return comp.model_copy(
        update={"gates": gates, "ready": ready, "regressed": regressed, "next_step": step,
                "blocking": blocking, "target": comp.stage.next}
    )  # fmt: skip


def stored_before_0007(report: RunReport) -> RunReport:
    """The report as a run stored before migration 0007 reads back: no status columns."""
    for comp in report.components:
        comp.gates, comp.next_step, comp.blocking = [], "", []
        for crit in comp.criteria:
            crit.remediation = ""
    return report


def make_report() -> RunReport:
    good = ComponentReport(
        name="player_experience",
        label="component:player-experience",
        path="src/player_experience",
        stage=DEV,
        target=Stage.STAGING,
        criteria=[
            crit("dev.coverage", "Test coverage ≥70%", Status.PASS, "72.0%"),
            crit("dev.ruff", "Linting clean (ruff)", Status.PASS, "0 findings"),
        ],
        ready=True,
        regressed=False,
    )
    evidence = [
        Evidence(message=f"F401 [red]markup[/red] <script>{i}", file="src/x/a.py", line=i)
        for i in range(7)
    ]
    bad = ComponentReport(
        name="ai_components",
        label="component:ai-components",
        path="src/ai_components",
        stage=DEV,
        target=Stage.STAGING,
        criteria=[
            crit("dev.ruff", "Linting clean (ruff)", Status.FAIL, "7 findings", evidence=evidence),
            crit(
                "dev.security_scan",
                "Security scan passed",
                Status.ERROR,
                "not measured",
                blocker_category=BlockerCategory.SECURITY,
                summary="bandit is not installed",
            ),
        ],
        ready=False,
        regressed=False,
    )
    return RunReport(
        tool_version="0.1.0",
        timestamp="2026-11-24T05:00:00+00:00",
        repo="/repo",
        git=GitInfo(commit="0123456789abcdef", branch="main", dirty=True),
        interpreter="/repo/.venv/bin/python",
        interpreter_version="3.11.7",
        tools=[ToolInfo(name="ruff", version="0.17.6")],
        stages=[DEV],
        components=[decided(good), decided(bad)],
        tests=TestAccount(
            collected=12,
            ran=10,
            outcomes={"passed": 9, "failed": 1, "skipped": 2},
            attributed={"marker": 3, "tests path": 0, "coverage contexts": 6, "imports": 2},
            unattributed_count=1,
            unattributed=["tests/test_misc.py::test_<b>odd</b>"],
        ),
        notices=[Notice(tool="pyright", message="error: Import cycle <detected>")],
    )


def test_json_round_trip_and_atomic_write(tmp_path: Path) -> None:
    report = make_report()
    assert RunReport.model_validate_json(to_json(report)) == report
    target = tmp_path / "out" / "report.json"
    write_json(report, target)
    assert json.loads(target.read_text())["schema_version"] == "2.6"
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.json"]


def test_json_write_failure_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.mkdir()  # os.replace onto a directory fails
    with pytest.raises(OSError):
        write_json(make_report(), target)
    assert list(tmp_path.iterdir()) == [target]


def test_schema_names_its_version() -> None:
    schema = json_schema()
    assert schema["$id"].endswith("/2.6.json")
    assert "components" in schema["properties"]


def test_promotion_issue_in_the_spec_shape() -> None:
    issue = promotion_issue(make_report(), "player_experience")
    assert issue.title == "Promote player-experience to staging"
    assert issue.labels == ["component:player-experience", "target:staging"]
    text = render_issue_markdown(issue)
    assert text.startswith(
        "Title: Promote player-experience to staging\n\n"
        "Labels: component:player-experience, target:staging\n\n## Checklist\n\n"
        "- [x] Test coverage ≥70% (currently 72.0%)\n"
        "- [x] Linting clean (ruff) (currently 0 findings)\n"
    )
    assert "## Blocking" not in text
    assert "1. Deploy to staging environment\n2. Run integration test suite\n" in text
    assert "5. If stable, create production promotion issue" in text
    assert (
        "_Measured by maturity 0.1.0 on a working tree with uncommitted changes at 0123456789ab"
        " on 2026-11-24T05:00:00+00:00._"
    ) in text


def test_failing_issue_lists_evidence_errors_and_blockers() -> None:
    text = render_issue_markdown(promotion_issue(make_report(), "ai_components"))
    assert "- [ ] Linting clean (ruff) (currently 7 findings)\n  - `src/x/a.py:0` F401" in text
    assert "  - … and 2 more" in text
    assert "- [ ] Security scan passed (could not measure: bandit is not installed)" in text
    assert "## Blocking\n\n- `blocker:tests`: Linting clean (ruff): summary of dev.ruff\n" in text
    assert "- `blocker:security`: Security scan passed: bandit is not installed" in text


def test_production_component_has_no_promotion_issue() -> None:
    report = make_report()
    held = report.components[0].model_copy(update={"stage": Stage.PRODUCTION})
    report.components[0] = decided(held)
    with pytest.raises(ValueError, match="at production"):
        promotion_issue(report, "player_experience")
    doc = render_markdown(report)
    assert "| player_experience | production | maintenance criteria hold |" in doc
    assert "Promote player-experience" not in doc


def test_run_markdown_and_pr_summary() -> None:
    doc = render_markdown(make_report())
    assert (
        "| player_experience | development | READY for staging ✅ | 2/2 | 0 | 0 |"
        " promote it: maturity promote player_experience --to staging |"
    ) in doc
    assert (
        "| ai_components | development | NOT READY for staging | 0/2 | 1 | 1 |"
        " meet the development exit criteria for staging: fix Linting clean (ruff);"
        " measure Security scan passed |"
    ) in doc
    assert doc.count("Title: Promote") == 2
    summary = pr_summary(make_report())
    assert (
        "| component | status | Test coverage ≥70% | Linting clean (ruff) | Security scan passed |"
        in summary
    )
    assert (
        "| ai_components | development: NOT READY for staging |  | ❌ 7 findings | ⚠️ not measured |"
        in summary
    )


def test_terminal_report_escapes_markup_and_says_ready() -> None:
    console = Console(record=True, no_color=True, width=120)
    render_terminal(make_report(), console)
    text = console.export_text()
    assert "git: main@0123456789ab (uncommitted changes)" in text
    assert "interpreter: /repo/.venv/bin/python (Python 3.11.7)" in text
    assert "player_experience: development — READY for staging" in text
    assert (
        "ai_components: development — NOT READY for staging (1 failing, 1 could not be measured)"
        in text
    )
    assert "F401 [red]markup[/red] <script>0" in text  # printed literally, not as markup
    assert "… 4 more (--verbose shows all)" in text
    assert "ERROR Security scan passed: bandit is not installed" in text
    assert "2 components: 1 ready for their next stage" in text
    assert "pyright (not about one file): error: Import cycle <detected>" in text
    assert text.count("Import cycle") == 1  # the run's diagnostic is shown once
    assert "tests: 12 tests collected, 10 ran" in text
    assert "test_<b>odd</b>" not in text

    verbose = Console(record=True, no_color=True, width=120)
    render_terminal(make_report(), verbose, verbose=True)
    full = verbose.export_text()
    assert "<script>6" in full
    assert "attributed to no component: tests/test_misc.py::test_<b>odd</b>" in full


def test_terminal_regressed_and_not_a_repo() -> None:
    report = make_report()
    report.git = GitInfo(commit=None, branch=None, dirty=None)
    report.components[1] = decided(
        report.components[1].model_copy(update={"stage": Stage.STAGING})
    )  # holds staging, its development exit criteria fail
    console = Console(record=True, no_color=True, width=200)
    render_terminal(report, console)
    text = console.export_text()
    assert "git: not a git repository" in text
    assert "ai_components: staging — REGRESSED: criteria of a stage it holds are not met" in text
    assert "next: restore the development exit criteria it holds: Linting clean (ruff)" in text
    assert "1 regressed" in text


def test_no_promotion_issue_without_measured_exit_criteria() -> None:
    report = make_report()
    report.components[0].stage = Stage.STAGING
    report.components[0].target = Stage.PRODUCTION
    with pytest.raises(
        ValueError, match="staging exit criteria of player_experience were not measured"
    ):
        promotion_issue(report, "player_experience")


def test_issue_evidence_becomes_a_markdown_link_and_the_terminal_shows_the_url() -> None:
    report = make_report()
    failing = report.components[1].criteria[0]
    failing.evidence = [
        Evidence(message="#42 Store [loses] turns", url="https://github.com/o/r/issues/42"),
        Evidence(message="#43 odd", url="javascript:alert(1)"),
    ]
    text = render_issue_markdown(promotion_issue(report, "ai_components"))
    assert "  - [#42 Store \\[loses\\] turns](https://github.com/o/r/issues/42)" in text
    assert "  - #43 odd" in text and "javascript:" not in text
    console = Console(width=200, record=True)
    render_terminal(report, console, verbose=True)
    assert "#42 Store [loses] turns https://github.com/o/r/issues/42" in console.export_text()


def test_many_components_are_one_matrix_with_every_problem_and_verdict() -> None:
    base = make_report()
    many = [
        comp.model_copy(update={"name": f"{comp.name}_{i}"})
        for i in range(7)
        for comp in base.components
    ]
    report = base.model_copy(update={"components": many})
    console = Console(record=True, no_color=True, width=200)
    render_terminal(report, console)
    text = console.export_text()
    assert "criteria by component" in text
    assert text.count("│ ai_components_3 ") == 1  # a row, not a table of its own
    assert "Security scan" in text and "FAIL" in text and "ERROR" in text
    assert text.count("ERROR Security scan passed: bandit is not installed") == 7
    assert text.count("— READY for staging") == 7
    assert "14 components: 7 ready for their next stage" in text
