"""Production maintenance from a REAL Prometheus holding 30 days of backfilled history:
one component within every SLA, one breaching uptime, error rate and latency. The figures
must be exactly what the same PromQL returns when Prometheus is asked directly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from maturity.model import Status
from tests.helpers import cli, judge, measure, write_tree
from tests.servers import prometheus_server

pytestmark = pytest.mark.slow

AT = 1_790_000_000  # the evaluation time: the last sample of the history
STEP, FINE = 900, 15  # 15-minute samples for 30 days, 15-second samples in the last hour
BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
# per 15-minute step: cumulative counts per bucket (last = +Inf = all requests)
GOOD_API = (600, 900, 980, 1000, 1000, 1000, 1000, 1000)  # p95 = 193.75 ms
# p95 = 1 + 50/100 * 1.5 s = 1750 ms; over the month the slower last hour lifts it to 1758
BAD_API = (100, 300, 500, 700, 900, 1000, 1000, 1000)
GOOD_PAGE = (0, 0, 0, 100, 600, 960, 1000, 1000)  # p95 = 1 + 350/360 * 1.5 s ≈ 2458.3 ms
GOOD_DB = (950, 1000, 1000, 1000, 1000, 1000, 1000, 1000)  # p95 = 50 ms
SLOW_TAIL_API = (0, 0, 0, 0, 100, 980, 1000, 1000)  # last hour: p95 ≈ 2449 ms: warning


def _history() -> str:
    """OpenMetrics text: 30 days ending at AT for components ``good`` and ``bad``."""
    coarse = list(range(AT - 30 * 86400 + STEP, AT - 3600 + 1, STEP))
    fine = list(range(coarse[-1] + FINE, AT + 1, FINE))
    lines: list[str] = ["# TYPE up gauge"]
    for name in ("good", "bad"):
        for t in coarse + fine[FINE - 1 :: STEP // FINE]:  # uniform 15-minute scrapes
            down = name == "bad" and t > AT - 8 * 3600  # the last 8 hours down
            lines.append(f'up{{job="{name}"}} {0 if down else 1} {t}')
    for name, errors, tail_errors in (("good", 1, 1), ("bad", 8, 60)):
        lines.append(f"# TYPE {name}_requests counter")
        ok = err = 0.0
        for i, t in enumerate(coarse + fine):
            scale = 1.0 if i < len(coarse) else FINE / STEP
            ok += (1000 - (errors if i < len(coarse) else tail_errors)) * scale
            err += (errors if i < len(coarse) else tail_errors) * scale
            lines.append(f'{name}_requests_total{{status="200"}} {ok:.4f} {t}')
            lines.append(f'{name}_requests_total{{status="500"}} {err:.4f} {t}')
    hist = {
        "good_request_duration_seconds": (GOOD_API, GOOD_API),
        "bad_request_duration_seconds": (BAD_API, SLOW_TAIL_API),
        "good_page_load_seconds": (GOOD_PAGE, GOOD_PAGE),
        "good_db_query_duration_seconds": (GOOD_DB, GOOD_DB),
    }
    for metric, (counts, tail) in hist.items():
        lines.append(f"# TYPE {metric} histogram")
        totals = [0.0] * (len(BUCKETS) + 1)
        for i, t in enumerate(coarse + fine):
            step = counts if i < len(coarse) else tail
            scale = 1.0 if i < len(coarse) else FINE / STEP
            totals = [a + b * scale for a, b in zip(totals, step, strict=True)]
            for le, value in zip([*map(str, BUCKETS), "+Inf"], totals, strict=True):
                lines.append(f'{metric}_bucket{{le="{le}"}} {value:.4f} {t}')
            lines.append(f"{metric}_count {totals[-1]:.4f} {t}")
            lines.append(f"{metric}_sum {totals[-1] * 0.2:.4f} {t}")
    lines.append("# EOF")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def prometheus() -> Iterator[str]:
    with prometheus_server(_history()) as url:
        yield url


def repo(root: Path, url: str, extra: str = "") -> Path:
    return write_tree(root, {
        "pyproject.toml": f"""
            [tool.maturity.production]
            prometheus_url = "{url}"
            at = {AT}
            {extra}
            [tool.maturity.components.good]
            stage = "production"
            [tool.maturity.components.bad]
            stage = "production"
            queries = {{ page_p95 = "", db_p95 = "" }}   # a backend: no page, no database
            """,
        "src/good/__init__.py": "",
        "src/bad/__init__.py": "",
    })  # fmt: skip


def ask(url: str, promql: str) -> float:
    body = httpx.get(f"{url}/api/v1/query", params={"query": promql, "time": AT}).json()
    return sum(float(s["value"][1]) for s in body["data"]["result"])


def test_verdicts_and_figures_match_prometheus(prometheus: str, tmp_path: Path) -> None:
    facts, project = measure(repo(tmp_path, prometheus), "production")
    good = {
        c: judge(facts, project, "good", c)
        for c in ("prd.uptime", "prd.error_rate", "prd.performance_sla")
    }
    bad = {
        c: judge(facts, project, "bad", c)
        for c in ("prd.uptime", "prd.error_rate", "prd.performance_sla")
    }

    assert good["prd.uptime"].status is Status.PASS
    assert good["prd.uptime"].value == 100.0
    assert bad["prd.uptime"].status is Status.FAIL
    assert bad["prd.uptime"].value == pytest.approx((2880 - 32) / 2880 * 100, abs=1e-4)
    assert bad["prd.uptime"].summary == ("uptime 98.889% over 30d (8.00 h down): needs ≥ 99.5%")

    assert good["prd.error_rate"].status is Status.PASS
    assert good["prd.error_rate"].value == pytest.approx(0.1, abs=1e-3)
    assert bad["prd.error_rate"].status is Status.FAIL
    assert bad["prd.error_rate"].summary.endswith(
        "; alert critical: 6.00% over 5m > 5%: needs < 0.5%"
    )

    sla = good["prd.performance_sla"]
    assert (sla.status, sla.display) == (Status.PASS, "3/3 SLAs met")
    assert sla.details["values"] == {
        "api_p95": pytest.approx(193.75), "page_p95": pytest.approx(1000 + 350 / 360 * 1500),
        "db_p95": pytest.approx(50.0),
    }  # fmt: skip
    worse = bad["prd.performance_sla"]
    assert worse.status is Status.FAIL
    assert worse.summary == (
        "API p95 1758 ms (needs < 500); alert warning: 2448.86 ms over 5m > 1000 ms"
    )
    assert worse.details["alerts"] == {"alert_error_rate": "critical", "alert_api_p95": "warning"}

    # every figure is what Prometheus itself answers to the same query at the same time
    assert facts.production is not None
    for comp, figures in facts.production.figures.items():
        for name, figure in figures.items():
            if figure.query:
                assert figure.value == pytest.approx(ask(prometheus, figure.query)), (comp, name)


def test_at_risk_components_fail_check_unless_configured_to_warn(
    prometheus: str, tmp_path: Path
) -> None:
    # (the fixture components hold production without tests or docs: their Development and
    # Staging criteria fail too; only the production lines matter here)
    root = repo(tmp_path / "fail", prometheus)
    code, out, err = cli("check", str(root), "--no-store", "-c", "bad")
    assert code == 1
    production = [line for line in err.splitlines() if " production prd." in line]
    assert "bad: production prd.uptime (Uptime): fail: uptime 98.889%" in production[0]
    assert not any(line.startswith("warning:") for line in production)
    said = " ".join(out.split())
    assert (
        "bad: production — REGRESSED and AT RISK: criteria of a stage it holds are not met;"
        " production maintenance criteria are not met"
    ) in said
    assert "next: bring it back within the production criteria: Uptime, Error rate," in said
    root = repo(tmp_path / "warn", prometheus, 'on_breach = "warn"')
    code, _, err = cli("check", str(root), "--no-store", "-c", "bad", "-q")
    production = [line for line in err.splitlines() if " production prd." in line]
    assert production and all(line.startswith("warning: bad: production ") for line in production)
    assert all(line.endswith("(production.on_breach = warn)") for line in production)


def test_unreachable_prometheus_or_empty_results_are_errors_with_the_query(tmp_path: Path) -> None:
    root = repo(tmp_path, "http://127.0.0.1:9")
    facts, project = measure(root, "production")
    found = judge(facts, project, "good", "prd.uptime")
    assert found.status is Status.ERROR
    assert found.summary.startswith("uptime: http://127.0.0.1:9 unreachable")
    assert 'avg_over_time(up{job="good"}[30d]) * 100' in found.summary
    (root / "pyproject.toml").write_text("[tool.maturity.components.good]\n", encoding="utf-8")
    facts, project = measure(root, "production")
    assert judge(facts, project, "good", "prd.uptime").summary.startswith(
        "Prometheus: no Prometheus: set [tool.maturity.production] prometheus_url"
    )


def test_a_query_without_data_is_an_error_not_zero(prometheus: str, tmp_path: Path) -> None:
    root = repo(tmp_path, prometheus)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace('page_p95 = "", db_p95 = ""', 'page_p95 = "nope_metric"'),
        encoding="utf-8",
    )
    facts, project = measure(root, "production")
    found = judge(facts, project, "bad", "prd.performance_sla")
    assert found.status is Status.FAIL  # the API SLA is missed regardless
    assert judge(facts, project, "good", "prd.performance_sla").status is Status.PASS
    assert facts.production is not None
    figure = facts.production.figures["bad"]["page_p95"]
    assert (figure.value, figure.error) == (None, "empty result: no series matched")


def test_at_risk_is_stored_and_shown_on_the_dashboard(prometheus: str, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from maturity.dashboard.app import create_app

    root = repo(tmp_path, prometheus)
    db = f"sqlite:///{tmp_path / 'history.db'}"
    code, _, err = cli("run", str(root), "--db", db, "-c", "bad")
    assert code == 0, err
    client = TestClient(create_app(db))
    assert client.get("/api/components").json()[0]["at_risk"] is True
    page = client.get("/dashboard/maturity/components/bad").text
    assert "REGRESSED and AT RISK" in page
    assert "uptime 98.889% over 30d (8.00 h down)" in page
    assert "AT RISK</strong>" in client.get("/dashboard/maturity").text
