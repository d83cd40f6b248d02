"""``--sarif`` end to end on a small real repository: the results are exactly the findings
the raw tools report (ruff, bandit, missing docstrings), past the evidence limit, and the
log is valid against the official SARIF 2.1.0 schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from maturity.criteria.base import EVIDENCE_LIMIT
from tests.e2e.test_cli_fixture import GOOD
from tests.helpers import cli, write_tree
from tests.unit.test_sarif import schema_errors

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
Finding = tuple[str, str, int | None, str | None]  # rule id, file, line, the tool's code

# more unused imports than the report used to keep, so completeness is visible
UNUSED = "".join(f"from os import path as p{i}\n" for i in range(EVIDENCE_LIMIT + 10))
FILES = {
    **GOOD,
    "src/calc/ops.py": '''
        """Operations."""
        import os


        def add(a: int, b: int) -> int:
            """Add two integers."""
            return a + b


        def evaluate(text: str) -> object:
            return eval(text)
        ''',
    "src/calc/aliases.py": '"""Aliases."""\n' + UNUSED,
    "tests/unit/test_ops.py": """
        import pytest

        import calc.aliases
        from calc.ops import add, evaluate

        pytestmark = pytest.mark.calc


        def test_add():
            assert add(1, 2) == 3


        def test_evaluate():
            assert evaluate("1 + 1") == 2
            assert calc.aliases.__doc__
        """,
}


def raw(argv: list[str], repo: Path) -> Any:
    out = subprocess.run(argv, cwd=repo, capture_output=True, text=True, check=False, timeout=300)
    return json.loads(out.stdout)


def relative(file: str, repo: Path) -> str:
    """A tool's file name (absolute, or relative to the repository) as repo-relative."""
    return (repo / file).resolve().relative_to(repo.resolve()).as_posix()


def raw_findings(repo: Path) -> set[Finding]:
    """What ruff, bandit and ruff's docstring rules say about the component, run by hand."""
    ruff = raw([str(BIN / "ruff"), "check", "--output-format=json", "src/calc"], repo)
    bandit = raw([str(BIN / "bandit"), "-r", "src/calc", "-f", "json", "-q"], repo)
    docs = raw(
        [str(BIN / "ruff"), "check", "--output-format=json", "--select=D101,D102,D103", "src/calc"],
        repo,
    )
    found = {
        ("dev.ruff", relative(f["filename"], repo), f["location"]["row"], f["code"]) for f in ruff
    }
    found |= {
        ("dev.security_scan", relative(f["filename"], repo), f["line_number"], f["test_id"])
        for f in bandit["results"]
    }
    found |= {
        ("dev.documentation", relative(f["filename"], repo), f["location"]["row"], None)
        for f in docs
    }
    return found


def test_sarif_results_are_what_the_raw_tools_report(tmp_path: Path) -> None:
    repo = write_tree(tmp_path / "repo", FILES)
    target = tmp_path / "out" / "calc.sarif"
    code, _, err = cli(
        "check", str(repo), "--require", "development", "-q", "--no-progress", "--no-store",
        "--sarif", str(target),
    )  # fmt: skip
    assert code == 1, err  # ruff, bandit and documentation fail
    log = json.loads(target.read_text(encoding="utf-8"))
    assert schema_errors(log) == []
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    got: list[Finding] = []
    for result in run["results"]:
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert result["properties"]["component"] == "calc"
        assert result["level"] == "error"
        got.append(
            (
                result["ruleId"],
                unquote(physical["artifactLocation"]["uri"]),
                physical.get("region", {}).get("startLine"),
                result["properties"].get("code"),
            )
        )
    expected = raw_findings(repo)
    assert len(got) == len(set(got))
    assert set(got) == expected
    assert sum(rule == "dev.ruff" for rule, *_ in expected) > EVIDENCE_LIMIT
    assert {rule for rule, *_ in expected} == {"dev.ruff", "dev.security_scan", "dev.documentation"}
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["dev.ruff"]["shortDescription"]["text"] == "Linting clean (ruff)"
    assert rules["dev.ruff"]["help"]["text"].startswith("Fix the ruff findings listed")
    assert run["invocations"][0]["toolExecutionNotifications"] == []
    assert run["invocations"][0]["executionSuccessful"] is True


def test_an_unwritable_sarif_path_is_a_one_line_usage_error(tmp_path: Path) -> None:
    repo = write_tree(tmp_path / "repo", GOOD)
    code, _, err = cli("run", str(repo), "--no-progress", "--no-store", "--sarif", str(repo))
    assert code == 2
    assert err == f"maturity: error: --sarif {repo}: cannot write: Is a directory\n"
