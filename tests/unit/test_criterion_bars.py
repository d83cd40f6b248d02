"""Each criterion result carries the number behind its threshold, from the rulebook record."""

from __future__ import annotations

from datetime import UTC, datetime

from maturity.config import MaturityConfig
from maturity.evaluate import evaluate_component
from maturity.facts import Facts
from maturity.model import Stage
from maturity.project import Component

CONFIG = MaturityConfig.model_validate({
    "thresholds": {"coverage": 85, "docstring_coverage": 90},
    "production": {"uptime": 99.9, "error_rate": 1},
})  # fmt: skip
NOW = datetime(2026, 11, 25, tzinfo=UTC)
GAME = Component(name="game", path="src/game", stage=Stage.PRODUCTION, marker="game", tests=[])


def test_every_criterion_states_its_bar_as_a_number_or_none() -> None:
    report = evaluate_component(
        Facts(), GAME, CONFIG, now=NOW
    )  # nothing measured: bars all the same
    shown = {c.id: (c.threshold, c.bar) for c in report.criteria}
    assert shown["dev.coverage"] == ("≥85%", 85.0)
    assert shown["dev.documentation"] == ("README + docstrings ≥90%", 90.0)
    assert shown["prd.uptime"] == ("99.9% over 30d", 99.9)
    assert shown["prd.error_rate"] == ("1% over 30d", 1.0)
    assert shown["stg.rollback_plan"] == ("5 sections", 5.0)
    assert shown["dev.integration_tests"] == ("≥1 file", 1.0)
    zero = {"dev.ruff", "dev.pyright", "dev.security_scan", "dev.blockers"}
    assert {k for k, (_, bar) in shown.items() if bar == 0} == zero
    several = {  # thresholds of more than one number, or none: no single bar
        "dev.unit_tests", "stg.integration_tests", "stg.e2e_tests", "stg.performance",
        "stg.security_audit", "stg.monitoring", "stg.staging_validation", "stg.qa_approval",
        "prd.performance_sla", "prd.security_patching", "prd.incident_response",
    }  # fmt: skip
    assert {k for k, (_, bar) in shown.items() if bar is None} == several
    default = evaluate_component(Facts(), GAME, MaturityConfig(), now=NOW)
    assert next(c.bar for c in default.criteria if c.id == "dev.coverage") == 70.0
