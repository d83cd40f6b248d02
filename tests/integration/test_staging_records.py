"""Staging criteria read from committed records and live probes: monitoring, staging
validation, rollback plan, QA approval — and the commands that write those records."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from maturity import alerts, attestations
from maturity.collectors.attested import HealthCollector
from maturity.criteria import criteria_for
from maturity.facts import Facts
from maturity.model import CriterionResult, Stage, Status
from maturity.project import Project
from tests.helpers import cli, measure, write_tree
from tests.servers import free_port, live_server

APP = '''
"""Shop service."""

import prometheus_client as prom
import structlog
from prometheus_client import Histogram

REQUESTS = prom.Counter("shop_requests_total", "Requests", ["status"])
LATENCY = Histogram("shop_request_duration_seconds", "Latency")
log = structlog.get_logger()
'''


def staging(facts: Facts, project: Project, component: str, criterion: str) -> CriterionResult:
    """Evaluate one Staging criterion for one component."""
    crit = next(c for c in criteria_for(Stage.STAGING) if c.id == criterion)
    return crit.evaluate(facts, project.component(component), project.config)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A repo with a monitored component ``shop`` and a bare component ``cart``."""
    return write_tree(
        tmp_path,
        {
            "pyproject.toml": """
                [tool.maturity.components.shop]
                stage = "staging"
                [tool.maturity.components.cart]
                stage = "staging"
                """,
            "src/shop/__init__.py": APP,
            "src/cart/__init__.py": '"""Cart."""\n',
        },
    )


def test_monitoring_passes_with_metrics_structlog_and_the_generated_alerts(shop: Path) -> None:
    code, out, _ = cli("alerts", "shop", str(shop), "--write")
    assert code == 0 and out.strip() == "wrote monitoring/alerts/shop.rules.yml"
    facts, project = measure(shop, "monitoring")
    found = staging(facts, project, "shop", "stg.monitoring")
    assert found.status is Status.PASS, found.summary
    assert found.display == "1 counters, 1 histograms, 1 loggers"
    assert {e.message for e in found.evidence} == {
        "metric or logger at src/shop/__init__.py:7",
        "metric or logger at src/shop/__init__.py:8",
        "metric or logger at src/shop/__init__.py:9",
    }
    if shutil.which("promtool"):
        assert facts.monitoring is not None
        assert facts.monitoring.components["shop"].promtool == "ok"
        assert "not validated" not in found.summary
    cart = staging(facts, project, "cart", "stg.monitoring")
    assert cart.status is Status.FAIL
    assert cart.summary == (
        "no prometheus_client Counter; no prometheus_client Histogram; "
        "no structlog.get_logger(); no monitoring/alerts/cart.rules.yml "
        "(maturity alerts cart writes it)"
    )


def test_the_generated_rules_hold_exactly_the_four_alerts_of_the_spec() -> None:
    document = yaml.safe_load(alerts.render("player_experience"))
    rules = document["groups"][0]["rules"]
    assert [(r["alert"], r["labels"]["severity"]) for r in rules] == [
        ("PlayerExperienceErrorRateWarning", "warning"),
        ("PlayerExperienceErrorRateCritical", "critical"),
        ("PlayerExperienceLatencyP95Warning", "warning"),
        ("PlayerExperienceLatencyP95Critical", "critical"),
    ]
    assert [r["expr"].rsplit(" > ", 1)[1] for r in rules] == ["0.01", "0.05", "1", "3"]
    assert alerts.missing_alerts("player_experience", document) == []


def test_a_weakened_or_missing_alert_is_named(shop: Path) -> None:
    document = alerts.rules("shop")
    group = document["groups"][0]
    group["rules"][0]["expr"] = group["rules"][0]["expr"].replace("> 0.01", "> 0.1")
    group["rules"][1]["labels"]["severity"] = "warning"
    del group["rules"][3]
    assert alerts.missing_alerts("shop", document) == [
        "ShopErrorRateWarning does not fire at > 0.01",
        "ShopErrorRateCritical is not severity critical",
        "missing alert ShopLatencyP95Critical",
    ]
    assert alerts.missing_alerts("shop", None) == [
        f"missing alert Shop{suffix}" for suffix, *_ in alerts.ALERTS
    ]


@pytest.mark.skipif(not shutil.which("promtool"), reason="scripts/test installs promtool")
def test_promtool_rejects_a_broken_rules_file_and_the_criterion_says_so(shop: Path) -> None:
    rules = shop / "monitoring/alerts/shop.rules.yml"
    rules.parent.mkdir(parents=True)
    broken = alerts.render("shop").replace("histogram_quantile(0.95,", "histogram_quantile(0.95,(")
    rules.write_text(broken, encoding="utf-8")
    facts, project = measure(shop, "monitoring")
    found = staging(facts, project, "shop", "stg.monitoring")
    assert found.status is Status.FAIL
    assert "promtool: " in found.summary
    assert found.commands == ["promtool check rules monitoring/alerts/shop.rules.yml"]


def test_invalid_rules_yaml_is_reported(shop: Path) -> None:
    rules = shop / "monitoring/alerts/shop.rules.yml"
    rules.parent.mkdir(parents=True)
    rules.write_text("groups: [\n", encoding="utf-8")
    facts, project = measure(shop, "monitoring")
    found = staging(facts, project, "shop", "stg.monitoring")
    assert found.status is Status.FAIL
    assert "monitoring/alerts/shop.rules.yml is not valid YAML" in found.summary


def test_alerts_prints_the_rules_and_refuses_an_unknown_component(shop: Path) -> None:
    code, out, _ = cli("alerts", "shop", str(shop))
    assert code == 0 and out == alerts.render("shop")
    code, _, err = cli("alerts", "nope", str(shop))
    assert code == 2 and "unknown component 'nope'" in err


def test_rollback_template_passes_and_a_thin_plan_lists_missing_sections(shop: Path) -> None:
    code, out, _ = cli("rollback-template", "shop", str(shop))
    assert code == 0 and out.strip() == "wrote docs/rollback/shop.md"
    code, _, err = cli("rollback-template", "shop", str(shop))
    assert code == 2 and "docs/rollback/shop.md already exists" in err
    write_tree(shop, {"docs/rollback/cart.md": "# Cart\n## Trigger conditions\n- errors\n"})
    facts, project = measure(shop, "rollback")
    found = staging(facts, project, "shop", "stg.rollback_plan")
    assert (found.status, found.display) == (Status.PASS, "5/5 sections")
    cart = staging(facts, project, "cart", "stg.rollback_plan")
    assert (cart.status, cart.display) == (Status.FAIL, "1/5 sections")
    assert cart.summary == (
        "missing: step-by-step procedure, database rollback, estimated time, "
        "rollback testing verification"
    )
    (shop / "docs/rollback/cart.md").unlink()
    facts, project = measure(shop, "rollback")
    none = staging(facts, project, "cart", "stg.rollback_plan")
    assert (none.status, none.display) == (Status.FAIL, "no plan")


def test_qa_attestation_written_by_the_cli_passes_and_partial_ones_fail(shop: Path) -> None:
    code, out, _ = cli("attest", "qa", "shop", str(shop), "--by", "Ana QA", "--all")
    assert code == 0
    assert out.strip() == "recorded qa of shop by Ana QA in .maturity/attestations/shop.yaml"
    first = attestations.QA_CHECKLIST[0]
    code, _, _ = cli("attest", "qa", "cart", str(shop), "--by", "Ana QA", "--item", first)
    assert code == 0
    facts, project = measure(shop, "attestations")
    found = staging(facts, project, "shop", "stg.qa_approval")
    today = date.today().isoformat()
    assert (found.status, found.display) == (Status.PASS, "8/8 checked")
    assert found.summary == f"approved by Ana QA on {today}"
    cart = staging(facts, project, "cart", "stg.qa_approval")
    assert (cart.status, cart.display) == (Status.FAIL, "1/8 checked")
    assert len(cart.evidence) == 7
    assert cart.summary.endswith(" …")


def test_attest_refuses_unknown_items_bad_dates_and_components(shop: Path) -> None:
    code, _, err = cli("attest", "qa", "shop", str(shop), "--item", "Looked fine")
    assert code == 2 and "known: All user flows tested manually;" in err
    code, _, err = cli("attest", "qa", "shop", str(shop), "--all", "--expires", "soon")
    assert code == 2 and "--expires 'soon' is not an ISO date" in err
    code, _, err = cli("attest", "qa", "ghost", str(shop), "--all")
    assert code == 2 and "unknown component 'ghost'" in err


def test_an_expired_attestation_no_longer_counts(shop: Path) -> None:
    cli("attest", "qa", "shop", str(shop), "--by", "Ana", "--all", "--expires", "2020-01-01")
    facts, project = measure(shop, "attestations")
    found = staging(facts, project, "shop", "stg.qa_approval")
    assert found.status is Status.FAIL
    assert found.summary == "qa attestation expired on 2020-01-01"


def test_a_malformed_attestation_file_is_an_error_not_a_pass(shop: Path) -> None:
    write_tree(shop, {".maturity/attestations/shop.yaml": "qa: [1, 2\n"})
    facts, project = measure(shop, "attestations")
    found = staging(facts, project, "shop", "stg.qa_approval")
    assert found.status is Status.ERROR
    assert found.summary == ".maturity/attestations/shop.yaml: not valid YAML"
    code, _, err = cli("attest", "qa", "shop", str(shop), "--all")
    assert code == 2 and "not valid YAML" in err
    write_tree(shop, {".maturity/attestations/shop.yaml": "qa: yes\n"})
    facts, project = measure(shop, "attestations")
    found = staging(facts, project, "shop", "stg.qa_approval")
    assert found.summary == ".maturity/attestations/shop.yaml: must map each kind to a record"


def _health_app(status: int) -> Starlette:
    async def health(request: object) -> PlainTextResponse:
        return PlainTextResponse("ok" if status == 200 else "down", status_code=status)

    return Starlette(routes=[Route("/health", health)])


def test_staging_validation_needs_a_healthy_url_and_a_multi_user_record(shop: Path) -> None:
    with live_server(_health_app(200)) as up, live_server(_health_app(503)) as down:
        pyproject = shop / "pyproject.toml"
        pyproject.write_text(
            f'[tool.maturity.components.shop]\nstage = "staging"\nhealth_url = "{up}/health"\n'
            f'[tool.maturity.components.cart]\nstage = "staging"\nhealth_url = "{down}/health"\n',
            encoding="utf-8",
        )
        for comp, users, hours in (("shop", "3", "1.5"), ("cart", "2", "0.5")):
            code, _, _ = cli(
                "attest", "multi-user", comp, str(shop), "--by", "Lee",
                "--users", users, "--hours", hours, "--feedback-addressed",
            )  # fmt: skip
            assert code == 0
        facts, project = measure(shop, "health", "attestations")
    found = staging(facts, project, "shop", "stg.staging_validation")
    assert found.status is Status.PASS, found.summary
    assert found.summary == (f"{up}/health answered 200; 3 users for 1.5 h with no critical bugs")
    cart = staging(facts, project, "cart", "stg.staging_validation")
    assert cart.status is Status.FAIL
    assert cart.summary == (
        f"{down}/health answered HTTP 503 (after 3 tries); "
        "2 concurrent users (need ≥ 3); 0.5 h session (need ≥ 1 h)"
    )
    assert cart.display == "3 problems"


def test_an_unreachable_health_url_says_why(shop: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/health"
    status, message = HealthCollector()._probe(url)
    assert status is None
    assert message.startswith(f"{url} unreachable: ")
    assert message.endswith("(after 3 tries)")


def test_staging_validation_without_health_url_or_record_lists_both(shop: Path) -> None:
    facts, project = measure(shop, "health", "attestations")
    found = staging(facts, project, "cart", "stg.staging_validation")
    assert found.status is Status.FAIL
    assert found.summary == (
        "no health_url configured for the component; no multi_user attestation"
    )


def test_criteria_without_their_facts_report_error(shop: Path) -> None:
    facts, project = measure(shop)
    for criterion in ("stg.monitoring", "stg.rollback_plan", "stg.qa_approval"):
        found = staging(facts, project, "shop", criterion)
        assert found.status is Status.ERROR, criterion


def test_run_stage_staging_shows_the_staging_gate(shop: Path) -> None:
    code, out, _ = cli("run", str(shop), "--stage", "staging", "--no-store")
    assert code == 0
    assert "Manual QA approval" in out and "Rollback plan documented" in out
    code, _, err = cli("check", str(shop), "--require", "staging", "--no-store", "-c", "shop")
    assert code == 1
    assert "shop: staging stg.qa_approval (Manual QA approval): fail: no qa attestation" in (
        err.splitlines()
    )
