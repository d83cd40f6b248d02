"""One status model: on the same run, every surface says what the evaluation decided.

The bundled example with three components moved so that every status occurs: held
development and ready, development and not ready, staging and regressed (its development
criteria fail), staging and not ready (its staging criteria cannot all be measured here).
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from junitparser import Failure, JUnitXml
from rich.console import Console

from maturity.blockers import blockers_of
from maturity.dashboard.app import create_app
from maturity.evaluate import gate_failures
from maturity.model import BlockerCategory, GateRole, RunReport
from maturity.report.markdown import NEXT_STEPS, promotion_issue, render_markdown
from maturity.report.terminal import render_terminal
from tests.helpers import cli

pytestmark = pytest.mark.slow
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tta"
MOVED = {"narrative_engine": "staging", "api_gateway": "staging"}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, RunReport]:
    repo = tmp_path_factory.mktemp("verdict") / "tta"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns(".venv", "__pycache__", "run"))
    config = repo / "pyproject.toml"
    text = config.read_text()
    for name, stage in MOVED.items():
        text = re.sub(
            rf'(\[tool\.maturity\.components\.{name}\]\nstage = )"development"',
            rf'\1"{stage}"',
            text,
        )
    config.write_text(text)
    db = f"sqlite:///{repo / 'history.db'}"
    code, _, err = cli(
        "run", str(repo), "--db", db,
        "--json", str(repo / "report.json"), "--junit", str(repo / "junit.xml"),
    )  # fmt: skip
    assert code == 0, err
    report = RunReport.model_validate_json((repo / "report.json").read_text())
    return repo, db, report


def test_the_run_holds_every_status(run) -> None:
    _, _, report = run
    verdicts = {c.name: c.verdict for c in report.components}
    assert verdicts["player_experience"] == "READY for staging"
    assert verdicts["infrastructure"] == "NOT READY for staging"
    assert verdicts["narrative_engine"] == "REGRESSED"
    assert verdicts["api_gateway"] == "NOT READY for production"
    for comp in report.components:
        assert comp.ready is (comp.verdict.startswith("READY"))
        assert comp.regressed is any(not g.met for g in comp.gates if g.role is GateRole.ENTRY)
        assert comp.target is comp.stage.next
        assert comp.next_step


def test_terminal_lines_and_summary_say_the_model(run) -> None:
    _, _, report = run
    console = Console(file=io.StringIO(), width=300)
    render_terminal(report, console)
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    for comp in report.components:
        line = next(x for x in lines if x.startswith(f"{comp.name}: {comp.stage} — "))
        assert line.startswith(f"{comp.name}: {comp.stage} — {comp.verdict}")
        assert f"  next: {comp.next_step}" in lines
    assert report.status_line() in lines
    assert report.status_line().startswith(
        "6 components: 1 ready for their next stage, 1 regressed"
    )


def test_markdown_rows_and_promotion_issues_say_the_model(run) -> None:
    _, _, report = run
    doc = render_markdown(report)
    for comp in report.components:
        row = next(x for x in doc.splitlines() if x.startswith(f"| {comp.name} | "))
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert cells[1] == comp.stage.value
        assert cells[2].removesuffix(" ✅") == comp.verdict
        assert cells[-1] == comp.next_step.replace("|", "\\|")
        issue = promotion_issue(report, comp.name)
        assert issue.title.endswith(f" to {comp.target}")
        steps = issue.body.split("## Next Steps")[1]
        assert comp.target is not None
        if comp.ready:
            assert NEXT_STEPS[comp.target][0] in steps
        else:
            assert NEXT_STEPS[comp.target][0] not in steps
            titles = {c.id: c.title for c in comp.criteria}
            for cid in comp.blocking:
                assert f" {titles[cid]}: " in steps
    assert report.status_line() in doc


def test_json_carries_the_model_verbatim(run) -> None:
    repo, _, report = run
    document: dict[str, Any] = json.loads((repo / "report.json").read_text())
    assert document["schema_version"] == "2.6"
    for comp, raw in zip(report.components, document["components"], strict=True):
        assert raw["verdict"] == comp.verdict
        assert raw["next_step"] == comp.next_step and raw["blocking"] == comp.blocking
        assert [g["role"] for g in raw["gates"]] == [g.role.value for g in comp.gates]


def test_junit_suites_carry_the_model(run) -> None:
    repo, _, report = run
    xml = JUnitXml.fromfile(str(repo / "junit.xml"))
    assert isinstance(xml, JUnitXml)
    suites = list(xml)
    assert [s.name for s in suites] == [c.name for c in report.components]
    for suite, comp in zip(suites, report.components, strict=True):
        props = {p.name: p.value for p in suite.properties()}
        assert (props["verdict"], props["next_step"]) == (comp.verdict, comp.next_step)
        roles = {
            k.removeprefix("gate."): v.split(":")[0]
            for k, v in props.items()
            if k.startswith("gate.")
        }
        assert roles == {g.gate.value: g.role.value for g in comp.gates}
        failed = [c.name.split(":")[0] for c in suite if any(isinstance(r, Failure) for r in c)]
        assert failed == [c.id for c in comp.criteria if c.status.value == "fail"]
    assert (xml.failures or 0) > 0  # narrative_engine regressed: its development criteria fail


def test_check_fails_exactly_the_gates_the_model_requires(run) -> None:
    repo, _, report = run
    code, _, err = cli("check", str(repo), "--no-store", "-q")
    # narrative_engine regressed (its development criteria fail): that is a failure;
    # the not-ready components are not, until --require asks for their next stage
    assert code == 1
    failures = {(f.component.name, f.criterion.id) for f in gate_failures(report, None, "fail")}
    assert failures == {
        ("narrative_engine", cid)
        for g in report.component("narrative_engine").gates
        if g.role is GateRole.ENTRY
        for cid in g.failing + g.unmeasured
    }
    said = {
        (line.split(":")[0], line.split()[2])
        for line in err.splitlines()
        if re.match(r"^\w+: (development|staging|production) ", line)
    }
    assert said == failures


def test_blockers_follow_the_gates_the_component_answers_to(run) -> None:
    _, _, report = run
    for comp in report.components:
        filed = {c.id for b in blockers_of(report) if b.component is comp for c in b.criteria}
        expected = {
            c.id
            for g in comp.gates
            if g.role is not GateRole.AHEAD
            for c in comp.for_gate(g.gate)
            if not c.met and c.blocker_category is not BlockerCategory.CONFIGURATION
        }
        assert filed == expected
        assert set(comp.blocking) <= {c.id for c in comp.criteria if not c.met}


def test_the_dashboard_says_the_model(run) -> None:
    _, db, report = run
    client = TestClient(create_app(db, poll_seconds=0))
    api = {c["name"]: c for c in client.get("/api/components").json()}
    overview = client.get("/dashboard/maturity").text
    assert report.status_line() in overview
    for comp in report.components:
        got = api[comp.name]
        assert (got["verdict"], got["ready"], got["regressed"]) == (
            comp.verdict,
            comp.ready,
            comp.regressed,
        )
        assert got["next_step"] == comp.next_step and got["blocking"] == comp.blocking
        page = client.get(f"/dashboard/maturity/components/{comp.name}").text
        assert comp.verdict in page
        assert f"Next step: {comp.next_step}".replace("'", "&#39;") in page
    stored = client.get("/api/runs/latest").json()
    assert [c["verdict"] for c in stored["components"]] == [c.verdict for c in report.components]
