"""SARIF 2.1.0 of a hand-made report: valid against the official schema, one result per
finding at a file, waivers as suppressions, the rest said in notifications."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import validators

from maturity.errors import UsageError
from maturity.evaluate import gate_status
from maturity.model import (
    BlockerCategory,
    ComponentReport,
    Evidence,
    RunReport,
    Stage,
    Status,
    Waiver,
)
from maturity.report.formats import Sarif, formats_for
from maturity.report.sarif import render_sarif, to_sarif
from tests.unit.test_reports import crit, decided, make_report

SCHEMA = Path(__file__).parents[1] / "schemas" / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


def schema_errors(log: dict[str, Any]) -> list[str]:
    """Every violation of the official schema, formats (uri, date-time) checked too."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = validators.validator_for(schema)  # the draft the schema declares
    checker = cls.FORMAT_CHECKER
    assert {"uri", "date-time"} <= set(checker.checkers), "format checks are not installed"
    validator = cls(schema, format_checker=checker)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]


def full_report() -> RunReport:
    """make_report() plus a waived, an unlocated, a capped and an ahead-of-stage criterion."""
    report = make_report()
    waiver = Waiver(criterion="dev.pyright", justification="legacy module", approver="ana",
                    expires="2027-01-31")  # fmt: skip
    waived = crit(
        "dev.pyright", "Type checking clean (pyright)", Status.WAIVED, "1 error",
        evidence=[Evidence(message="reportReturnType bad", file="src/my game/a b.py", line=4,
                           code="reportReturnType"),
                  Evidence(message="no line", file="src/my game/c.py")],
        waiver=waiver, remediation="Fix the pyright errors.",
    )  # fmt: skip
    blockers = crit(
        "dev.blockers", "No promotion blockers", Status.FAIL, "60 open",
        evidence=[Evidence(message=f"#{n} Crash", url=f"https://x/{n}") for n in range(50)],
        details={"checklist": "No promotion blockers", "evidence_omitted": 10},
    )  # fmt: skip
    audit = crit(
        "stg.security_audit", "Security audit completed", Status.FAIL, "1 problem",
        gate=Stage.STAGING, blocker_category=BlockerCategory.SECURITY,
        evidence=[Evidence(message="new secret (Secret Keyword) not in the baseline",
                           file="src/game/keys.py", line=2, code="Secret Keyword"),
                  Evidence(message="no .secrets.baseline")],
    )  # fmt: skip
    game = decided(
        ComponentReport(
            name="game", label="component:game", path="src/game", stage=Stage.DEVELOPMENT,
            target=Stage.STAGING, criteria=[waived, blockers, audit], ready=False,
            regressed=False,
        )
    )  # fmt: skip
    game.gates.append(gate_status(Stage.STAGING, Stage.DEVELOPMENT, game.criteria))
    report.components.append(game)
    report.stages.append(Stage.STAGING)
    return report


def results_of(log: dict[str, Any]) -> list[tuple[str, str, int | None, str, str]]:
    return [
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"].get("region", {}).get("startLine"),
            r["level"],
            r["properties"]["component"],
        )
        for r in log["runs"][0]["results"]
    ]


def test_the_vendored_schema_is_the_official_one() -> None:
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")


def test_sarif_is_valid_against_the_official_schema_and_invalid_logs_are_caught() -> None:
    log = to_sarif(full_report())
    assert schema_errors(log) == []
    assert log["version"] == "2.1.0"
    broken = json.loads(json.dumps(log))
    del broken["runs"][0]["results"][0]["message"]
    broken["runs"][0]["invocations"][0]["startTimeUtc"] = "yesterday"
    assert len(schema_errors(broken)) == 2


def test_one_result_per_finding_at_a_file_with_the_criterion_as_rule() -> None:
    report = full_report()
    log = to_sarif(report)
    expected = list(
        (c.id, e.file.replace(" ", "%20"), e.line or None,  # SARIF lines start at 1
         "warning" if c.gate is Stage.STAGING else "error", comp.name)
        for comp in report.components
        for c in comp.criteria
        if c.status in (Status.FAIL, Status.WAIVED)
        for e in c.evidence
        if e.file
    )  # fmt: skip
    assert results_of(log) == sorted(expected, key=lambda r: (r[1], r[2] or 0, r[0]))
    assert len(expected) == 7 + 2 + 1  # the ruff findings, the pyright ones, the new secret
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [
        "dev.coverage", "dev.ruff", "dev.security_scan", "dev.pyright", "dev.blockers",
        "stg.security_audit",
    ]  # fmt: skip
    pyright = rules[3]
    assert pyright["shortDescription"]["text"] == "Type checking clean (pyright)"
    assert pyright["help"]["text"] == "Fix the pyright errors."
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    secret = next(r for r in run["results"] if r["ruleId"] == "stg.security_audit")
    assert secret["properties"]["code"] == "Secret Keyword"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///repo/"


def test_a_waived_criterion_gives_accepted_suppressions() -> None:
    run = to_sarif(full_report())["runs"][0]
    waived = [r for r in run["results"] if r["ruleId"] == "dev.pyright"]
    assert [r["locations"][0]["physicalLocation"].get("region") for r in waived] == [
        {"startLine": 4},
        None,
    ]
    for result in waived:
        assert result["suppressions"] == [
            {
                "kind": "external",
                "status": "accepted",
                "justification": "waived until 2027-01-31 by ana: legacy module",
            }
        ]
    assert not any("suppressions" in r for r in run["results"] if r["ruleId"] != "dev.pyright")


def test_what_is_no_result_is_said_in_notifications() -> None:
    run = to_sarif(full_report())["runs"][0]
    invocation = run["invocations"][0]
    notes = [
        (n["level"], n["associatedRule"]["id"], n["properties"]["component"], n["descriptor"]["id"])
        for n in invocation["toolExecutionNotifications"]
    ]
    assert notes == [
        ("error", "dev.security_scan", "ai_components", "not-measured"),
        ("note", "dev.blockers", "game", "not-located"),
        ("note", "dev.blockers", "game", "evidence-omitted"),
        ("note", "stg.security_audit", "game", "not-located"),
    ]
    texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert "bandit is not installed" in texts[0]
    assert "left out 10 more evidence items" in texts[2]
    assert "1 of its 2 evidence items have no file" in texts[3]
    assert invocation["executionSuccessful"] is False
    descriptors = run["tool"]["driver"]["notifications"]
    for n in invocation["toolExecutionNotifications"]:
        assert descriptors[n["descriptor"]["index"]]["id"] == n["descriptor"]["id"]


def test_the_same_report_gives_the_same_file_whatever_the_evidence_order() -> None:
    report = full_report()
    text = render_sarif(report)
    for comp in report.components:
        for c in comp.criteria:
            c.evidence.reverse()
    assert render_sarif(report) == text
    assert text.endswith("}\n")


def test_run_and_check_offer_sarif_and_a_bad_path_is_a_one_line_error(tmp_path: Path) -> None:
    assert "sarif" in [f.name for f in formats_for("run")]
    assert "sarif" in [f.name for f in formats_for("check")]
    Sarif().write(make_report(), tmp_path / "out" / "r.sarif")
    assert json.loads((tmp_path / "out" / "r.sarif").read_text())["version"] == "2.1.0"
    with pytest.raises(UsageError) as caught:
        Sarif().write(make_report(), tmp_path / "out")
    assert str(caught.value) == f"--sarif {tmp_path / 'out'}: cannot write: Is a directory"
