"""The Production maintenance criteria on the bundled example, against the Prometheus its
helper script starts with 30 days of history: player_experience within every SLA,
api_gateway breaching uptime, error rate and API latency."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from maturity.model import Status
from tests.helpers import judge, measure

pytestmark = pytest.mark.slow
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tta"
URL = "http://127.0.0.1:9091"


@pytest.fixture(scope="module")
def example() -> Iterator[Path]:
    base = Path(tempfile.mkdtemp(prefix="tta-production-"))
    repo = base / "tta"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns("__pycache__", "run"))
    shutil.rmtree(repo / ".maturity" / "prometheus", ignore_errors=True)  # a local run's state
    script = repo / "scripts" / "prometheus"
    up = subprocess.run(
        [str(script), "start", sys.executable], capture_output=True, text=True, check=False
    )
    assert up.returncode == 0, up.stderr
    try:
        yield repo
    finally:
        subprocess.run([str(script), "stop"], check=False)
        shutil.rmtree(base, ignore_errors=True)


def test_production_verdicts_on_the_example(example: Path) -> None:
    facts, project = measure(example, "production")
    good = {c: judge(facts, project, "player_experience", c)
            for c in ("prd.uptime", "prd.error_rate", "prd.performance_sla")}  # fmt: skip
    assert {c: r.status for c, r in good.items()} == dict.fromkeys(good, Status.PASS)
    bad = {c: judge(facts, project, "api_gateway", c)
           for c in ("prd.uptime", "prd.error_rate", "prd.performance_sla")}  # fmt: skip
    assert {c: r.status for c, r in bad.items()} == dict.fromkeys(bad, Status.FAIL)
    assert bad["prd.uptime"].summary.startswith("uptime 98.8")
    assert bad["prd.error_rate"].display == "0.800%"
    assert bad["prd.performance_sla"].summary.startswith("API p95 1750 ms (needs < 500)")
    # components that export nothing to Prometheus cannot be judged: error, never a pass
    other = judge(facts, project, "narrative_engine", "prd.uptime")
    assert other.status is Status.ERROR and "empty result" in other.summary
    # each figure is what Prometheus answers to the same query at the same time
    assert facts.production is not None
    for name in ("player_experience", "api_gateway"):
        for figure in facts.production.figures[name].values():
            if figure.query:
                body = httpx.get(
                    f"{URL}/api/v1/query",
                    params={"query": figure.query, "time": facts.production.at},
                ).json()
                answer = sum(float(s["value"][1]) for s in body["data"]["result"])
                assert figure.value == pytest.approx(answer)
