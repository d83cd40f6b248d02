"""``maturity check --junit`` on a small real repository: the JUnit file says what the
JSON report of the same run says, and pytest's junit-10.xsd accepts it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import xmlschema
from junitparser import Error, Failure, JUnitXml, Skipped

from tests.e2e.test_cli_fixture import GOOD
from tests.helpers import cli, write_tree
from tests.unit.test_junit import SCHEMA

pytestmark = pytest.mark.slow

# GOOD with an unused import: ruff's F401, and nothing else wrong
UNUSED_IMPORT = GOOD["src/calc/ops.py"].replace(
    '"""Operations."""\n', '"""Operations."""\n\n        import os\n', 1
)


def test_junit_failures_are_the_criteria_the_json_report_fails(tmp_path: Path) -> None:
    assert "import os" in UNUSED_IMPORT
    repo = write_tree(tmp_path / "repo", {**GOOD, "src/calc/ops.py": UNUSED_IMPORT})
    junit, report = tmp_path / "out" / "junit.xml", tmp_path / "out" / "report.json"
    code, _, err = cli(
        "check", str(repo), "--require", "development", "-q", "--no-store",
        "--json", str(report), "--junit", str(junit),
    )  # fmt: skip
    assert code == 1, err  # written even when the gate fails: CI shows why

    [comp] = json.loads(report.read_text())["components"]
    failing = [c for c in comp["criteria"] if c["status"] == "fail"]
    assert [c["id"] for c in failing] == ["dev.ruff"]  # the fixture fails one criterion

    xmlschema.XMLSchema(str(SCHEMA)).validate(str(junit))
    xml = JUnitXml.fromfile(str(junit))
    assert isinstance(xml, JUnitXml)
    [suite] = list(xml)
    assert suite.name == comp["name"] == "calc"
    results = {case.name: list(case.result) for case in suite}
    assert list(results) == [f"{c['id']}: {c['title']}" for c in comp["criteria"]]
    failed = {name: rs for name, rs in results.items() if any(isinstance(r, Failure) for r in rs)}
    [ruff] = failing
    assert list(failed) == [f"dev.ruff: {ruff['title']}"]
    [failure] = failed[f"dev.ruff: {ruff['title']}"]
    assert isinstance(failure, Failure)
    assert failure.message == ruff["summary"] == "1 finding: F401"
    text = failure.text or ""
    [evidence] = ruff["evidence"]
    assert f"  {evidence['file']}:{evidence['line']}: {evidence['message']}\n" in text
    assert all(f"  $ {cmd}" in text for cmd in ruff["commands"])

    statuses = [c["status"] for c in comp["criteria"]]
    assert (suite.tests, suite.failures, suite.errors, suite.skipped) == (
        len(statuses), statuses.count("fail"), statuses.count("error"), statuses.count("waived")
    )  # fmt: skip
    every = [r for rs in results.values() for r in rs]
    assert sum(isinstance(r, Error) for r in every) == statuses.count("error")
    assert sum(isinstance(r, Skipped) for r in every) == statuses.count("waived")
    assert (xml.tests, xml.failures, xml.errors) == (suite.tests, suite.failures, suite.errors)
    assert {p.name: p.value for p in suite.properties()}["verdict"] == comp["verdict"]
