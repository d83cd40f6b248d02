"""The Staging gate on the bundled example: player_experience passes all eight criteria for
real (Redis, PostgreSQL, Chromium, locust, offline OSV audit, detect-secrets, promtool);
the other components fail for their documented reasons."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import cli

pytestmark = pytest.mark.slow
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tta"
STAGING = [
    "stg.integration_tests", "stg.e2e_tests", "stg.performance", "stg.security_audit",
    "stg.monitoring", "stg.staging_validation", "stg.rollback_plan", "stg.qa_approval",
]  # fmt: skip
# component -> the Staging criteria that fail (none errors)
EXPECTED = {
    "player_experience": set(),
    "api_gateway": set(STAGING) - {"stg.integration_tests"},
    "agent_orchestration": set(STAGING) - {"stg.integration_tests"},
    "narrative_engine": set(STAGING) - {"stg.integration_tests"},
    "ai_components": set(STAGING) - {"stg.integration_tests"},
    "infrastructure": set(STAGING),
}


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    repo = tmp_path_factory.mktemp("tta-staging") / "tta"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns("__pycache__", "run", "*.pid"))
    script = repo / "scripts" / "staging"
    up = subprocess.run(
        [str(script), "start", sys.executable], capture_output=True, text=True, check=False
    )
    assert up.returncode == 0, up.stderr
    try:
        code, _, err = cli(
            "run", str(repo), "--stage", "staging", "--no-store",
            "--json", str(repo / "report.json"), "--verbose",
        )  # fmt: skip
    finally:
        subprocess.run([str(script), "stop"], check=False)
    assert code == 0, err
    yield repo, json.loads((repo / "report.json").read_text())


def criteria(report: dict[str, Any], component: str) -> dict[str, dict[str, Any]]:
    comp = next(c for c in report["components"] if c["name"] == component)
    return {c["id"]: c for c in comp["criteria"]}


@pytest.mark.parametrize("component", sorted(EXPECTED))
def test_each_component_fails_exactly_its_documented_staging_criteria(
    staged, component: str
) -> None:
    _, report = staged
    results = {k: v for k, v in criteria(report, component).items() if k.startswith("stg.")}
    assert sorted(results) == sorted(STAGING)
    failing = {cid for cid, c in results.items() if c["status"] == "fail"}
    assert failing == EXPECTED[component], {k: results[k]["summary"] for k in failing}
    assert all(c["status"] in ("pass", "fail") for c in results.values())


def test_player_experience_is_ready_for_production(staged) -> None:
    _, report = staged
    comp = next(c for c in report["components"] if c["name"] == "player_experience")
    assert comp["ready"] is True
    found = criteria(report, "player_experience")
    assert found["stg.integration_tests"]["display"] == "3 passed"
    assert found["stg.e2e_tests"]["display"] == "2 passed"
    assert found["stg.staging_validation"]["summary"] == (
        "http://127.0.0.1:8765/health answered 200; 5 users for 1.5 h with no critical bugs"
    )
    assert found["stg.security_audit"]["summary"].startswith("no known vulnerabilities in ")


def test_suite_counts_equal_what_pytest_says(staged) -> None:
    repo, report = staged
    found = criteria(report, "player_experience")
    for suite, key in (
        ("tests/integration", "stg.integration_tests"),
        ("tests/e2e", "stg.e2e_tests"),
    ):
        out = subprocess.run(
            [sys.executable, "-m", "pytest", suite, "-m", "player_experience", "-q",
             "-p", "no:cacheprovider"],
            cwd=repo, capture_output=True, text=True, check=False,
        ).stdout  # fmt: skip
        passed = re.search(r"(\d+) passed", out)
        assert passed is not None, out
        assert found[key]["value"] == int(passed.group(1))


def test_performance_figures_are_locusts_own(staged) -> None:
    repo, report = staged
    perf = criteria(report, "player_experience")["stg.performance"]
    figures = perf["details"]["figures"]
    run = (repo / perf["details"]["source"]).parent  # the run's own locust directory
    # locust's own percentile function over locust's own --json-file histograms, in a
    # separate process (importing locust monkey-patches the interpreter with gevent)
    script = (
        "import json, sys\n"
        "from locust.stats import calculate_response_time_percentile as p\n"
        "for e in json.load(open(sys.argv[1])):\n"
        "    times = {int(k): v for k, v in e['response_times'].items()}\n"
        "    print(json.dumps([e['name'], p(times, e['num_requests'], 0.95)]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(run / "locust.json")],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    p95 = dict(json.loads(line) for line in out.splitlines())

    def locust_p95(name: str) -> float:
        return float(p95[name])

    # a group of one request name has exactly locust's figure for that name
    assert figures["api p95 ms"]["value"] == locust_p95("/api/players/[id]/greeting")
    assert figures["page p95 ms"]["value"] == locust_p95("/")
    assert figures["db p95 ms"]["value"] == locust_p95("db: find player")
    assert figures["users"]["value"] == 100
    assert figures["requests/s"]["value"] >= 50
    assert 0 < figures["memory MB"]["value"] < 512
    assert figures["CPU %"]["value"] is not None
    assert perf["status"] == "pass"
    assert perf["summary"].startswith("api p95 ms ")


def test_the_staging_failures_are_the_documented_ones(staged) -> None:
    _, report = staged
    narrative = criteria(report, "narrative_engine")["stg.security_audit"]
    first = narrative["evidence"][0]
    assert (first["message"], first["file"], first["line"]) == (
        "new secret (Hex High Entropy String) not in the baseline",
        "src/narrative_engine/engine.py",
        10,
    )
    ai = criteria(report, "ai_components")["stg.security_audit"]
    assert ai["summary"].startswith("bandit MEDIUM B301 ")
    gateway = criteria(report, "api_gateway")
    assert (
        "ApiGatewayErrorRateWarning does not fire at > 0.01" in gateway["stg.monitoring"]["summary"]
    )
    assert gateway["stg.rollback_plan"]["summary"] == (
        "missing: database rollback, estimated time, rollback testing verification"
    )
    assert gateway["stg.qa_approval"]["display"] == "6/8 checked"
    infra = criteria(report, "infrastructure")["stg.integration_tests"]
    assert infra["display"] == "0 tests"


def test_the_production_promotion_issue_carries_the_staging_figures(staged) -> None:
    repo, _ = staged
    report = str(repo / "report.json")
    # the run judged the staging exit criteria ahead (run --stage staging): the production
    # promotion issue is asked for by the stage it judges
    code, out, _ = cli("promote-issue", "player_experience", "--from-json", report)
    assert code == 0 and out.startswith("Title: Promote player-experience to staging\n")
    code, out, _ = cli(
        "promote-issue", "player_experience", "--from-json", report, "--stage", "staging"
    )
    assert code == 0
    assert out.startswith("Title: Promote player-experience to production\n")
    assert "Labels: component:player-experience, target:production" in out
    assert "- [x] Performance benchmarks met (currently 7/7 bars met)" in out
    assert "- [x] Manual QA approval (currently 8/8 checked)" in out
    code, out, _ = cli("promote-issue", "api_gateway", "--from-json", report, "--stage", "staging")
    assert "- [ ] Manual QA approval (currently 6/8 checked)" in out
    assert "- `blocker:documentation`: Rollback plan documented: missing: database rollback" in out
    steps = out.split("## Next Steps")[1]  # not ready: what to fix, never "deploy"
    assert "\n1. Fix " in steps and "Deploy to production" not in steps
    assert "Fix Rollback plan documented: " in steps


def test_the_verdict_lines_keep_the_held_stage_apart_from_the_stage_judged_ahead(staged) -> None:
    import io

    from rich.console import Console

    from maturity.model import RunReport
    from maturity.report.terminal import render_terminal

    _, report = staged
    console = Console(file=io.StringIO(), width=200)
    render_terminal(RunReport.model_validate(report), console)
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    # the status is the held stage's (development): ready for staging or not; the staging
    # exit criteria, judged on request, are reported beside it and never make it "ready"
    assert (
        "player_experience: development — READY for staging; the staging exit criteria (for"
        " production, judged ahead): met"
    ) in lines
    assert (
        "api_gateway: development — READY for staging; the staging exit criteria (for"
        " production, judged ahead): 7 failing"
    ) in lines
    infra = next(line for line in lines if line.startswith("infrastructure: development — "))
    assert "NOT READY for staging" in infra and "(for production, judged ahead): 8 failing" in infra
    assert "  next: promote it: maturity promote player_experience --to staging" in lines
