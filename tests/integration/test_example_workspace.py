"""examples/workspace measured as its README says: each member in its own session, the
verdicts and the reasons of the README's table."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import cli

EXAMPLE = Path(__file__).parents[2] / "examples" / "workspace"


def expected() -> dict[str, tuple[str, str]]:
    """component -> (project, verdict), from the README's table."""
    text = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\w+) \| (libs/\w+) \| ([A-Z][^|]+?) \|", text, re.M)
    return {name: (project, verdict) for name, project, verdict in rows}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    repo = tmp_path_factory.mktemp("ws") / "workspace"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns("cache", "runs", "history.db*"))
    out = repo / "report.json"
    code, _, err = cli("run", str(repo), "--no-store", "--no-progress", "--json", str(out))
    assert code in (0, 1), err
    return json.loads(out.read_text(encoding="utf-8"))


def test_the_verdicts_are_those_of_the_readme(report: dict) -> None:
    table = expected()
    assert set(table) == {"catalog", "orders", "billing"}
    found = {c["name"]: (c["project"], c["verdict"]) for c in report["components"]}
    assert found == table


def test_the_reasons_are_those_of_the_readme(report: dict) -> None:
    crits = {(c["name"], k["id"]): k for c in report["components"] for k in c["criteria"]}
    failing = {
        name: sorted(k["id"] for (n, _), k in crits.items() if n == name and k["status"] != "pass")
        for name in ("catalog", "orders", "billing")
    }
    assert failing == {
        "catalog": [],
        "orders": ["dev.ruff", "dev.unit_tests"],
        "billing": ["dev.coverage", "dev.integration_tests"],
    }
    assert crits[("billing", "dev.coverage")]["display"] == "28.6%"
    assert "pdf.py" in json.dumps(crits[("billing", "dev.coverage")]["evidence"])
    assert "F401" in crits[("orders", "dev.ruff")]["summary"]
    assert "test_discount" in json.dumps(crits[("orders", "dev.unit_tests")]["evidence"])


def test_each_member_ran_in_its_own_session(report: dict) -> None:
    sessions = {s["project"]: s for s in report["tests"]["sessions"]}
    assert set(sessions) == {"libs/billing", "libs/catalog", "libs/orders"}
    assert {p: s["collected"] for p, s in sessions.items()} == {
        "libs/billing": 1, "libs/catalog": 2, "libs/orders": 2,
    }  # fmt: skip
    assert all(s["rootdir"] == p for p, s in sessions.items())
    assert report["tests"]["collected"] == 5
