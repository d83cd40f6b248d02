"""ruff, pyright and bandit run once on real fixture repos; counts match the raw tools."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from maturity.model import Status
from tests.helpers import measure, result, write_tree

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent

TWO = {
    "pyproject.toml": """
        [tool.ruff]
        line-length = 100
        [tool.ruff.lint]
        select = ["E", "F"]
        """,
    "src/clean/__init__.py": '"""Clean."""\n\n\ndef add(a: int, b: int) -> int:\n    """Add."""\n    return a + b\n',
    "src/messy/__init__.py": '"""Messy."""\n',
    "src/messy/core.py": '''
        """Core."""
        import os
        import sys


        def half(n: int) -> int:
            """Half."""
            return n / 2
        ''',
}


def raw_json(argv: list[str], cwd: Path) -> object:
    out = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False).stdout
    return json.loads(out)


def test_ruff_counts_match_raw_ruff_per_component(repo: Path) -> None:
    write_tree(repo, TWO)
    facts, project = measure(repo, "ruff")
    messy = result(facts, project, "messy", "dev.ruff")
    clean = result(facts, project, "clean", "dev.ruff")
    raw = raw_json([str(BIN / "ruff"), "check", "--output-format=json", "src/messy"], repo)
    assert isinstance(raw, list)
    assert messy.value == len(raw) == 2
    assert messy.status is Status.FAIL
    assert {e.message.split()[0] for e in messy.evidence} == {"F401"}
    assert [e.location() for e in messy.evidence] == ["src/messy/core.py:2", "src/messy/core.py:3"]
    assert clean.status is Status.PASS and clean.summary == "All checks passed"


def test_ruff_honours_the_target_config(repo: Path) -> None:
    files = dict(TWO)
    files["pyproject.toml"] = '[tool.ruff.lint]\nselect = ["E"]\n'  # F401 not selected
    write_tree(repo, files)
    facts, project = measure(repo, "ruff")
    assert result(facts, project, "messy", "dev.ruff").status is Status.PASS


def test_broken_ruff_config_is_an_error(repo: Path) -> None:
    files = dict(TWO)
    files["pyproject.toml"] = '[tool.ruff.lint]\nselect = ["NOPE999"]\n'
    write_tree(repo, files)
    facts, project = measure(repo, "ruff")
    res = result(facts, project, "messy", "dev.ruff")
    assert res.status is Status.ERROR
    assert res.summary.startswith("ruff: ruff failed:")
    assert "NOPE999" in res.summary


def test_pyright_errors_counted_and_config_honoured(repo: Path) -> None:
    write_tree(repo, TWO)
    facts, project = measure(repo, "pyright")
    messy = result(facts, project, "messy", "dev.pyright")
    assert messy.status is Status.FAIL
    assert (messy.details["errors"], messy.details["warnings"]) == (1, 0)
    assert messy.evidence[0].location() == "src/messy/core.py:8"
    assert result(facts, project, "clean", "dev.pyright").status is Status.PASS

    # the target's own pyrightconfig.json applies: turn the rule off and it passes
    (repo / "pyrightconfig.json").write_text(json.dumps({"reportReturnType": "none"}))
    facts, project = measure(repo, "pyright")
    assert result(facts, project, "messy", "dev.pyright").status is Status.PASS


def test_pyright_count_matches_raw_pyright(repo: Path) -> None:
    write_tree(repo, TWO)
    (repo / "pyrightconfig.json").write_text(json.dumps({"typeCheckingMode": "strict"}))
    facts, project = measure(repo, "pyright")
    res = result(facts, project, "messy", "dev.pyright")
    raw = raw_json([str(BIN / "pyright"), "--outputjson", "src/messy"], repo)
    assert isinstance(raw, dict)
    summary = raw["summary"]
    assert res.details["errors"] == summary["errorCount"]
    assert res.details["warnings"] == summary["warningCount"]
    assert summary["errorCount"] > 1  # strict mode reports the unused imports too


BANDIT = {
    "src/safe/__init__.py": '"""Safe."""\n\n\ndef roll() -> int:\n    """Roll."""\n    import random\n\n    return random.randint(1, 6)\n',
    "src/risky/__init__.py": '"""Risky."""\nimport pickle\n\n\ndef load(b: bytes) -> object:\n    """Load."""\n    return pickle.loads(b)\n',
}


def test_bandit_medium_fails_and_unaccepted_low_needs_acceptance(repo: Path) -> None:
    write_tree(repo, BANDIT)
    facts, project = measure(repo, "bandit", "accepted_risks")
    risky = result(facts, project, "risky", "dev.security_scan")
    safe = result(facts, project, "safe", "dev.security_scan")
    assert risky.status is Status.FAIL
    counts = {k: risky.details[k] for k in ("high", "medium", "low", "low_accepted")}
    assert counts == {"high": 0, "medium": 1, "low": 1, "low_accepted": 0}
    assert safe.status is Status.FAIL
    assert "needs documented acceptance" in safe.evidence[0].message
    assert safe.evidence[0].location() == "src/safe/__init__.py:8"


def test_bandit_low_documented_as_accepted_passes(repo: Path) -> None:
    write_tree(repo, BANDIT)
    write_tree(
        repo,
        {
            "SECURITY_FINDINGS_ACCEPTED_RISKS.md": """
                # Accepted risks

                | Test ID | Location | Severity | Justification | Accepted by | Date |
                |---|---|---|---|---|---|
                | B311 | src/safe/__init__.py:8 | Low | dice for a board game | Ana | 2026-11-01 |
                """
        },
    )
    facts, project = measure(repo, "bandit", "accepted_risks")
    safe = result(facts, project, "safe", "dev.security_scan")
    assert safe.status is Status.PASS
    assert safe.display == "0 high, 0 medium, 1 low (1 accepted)"


def test_bandit_unparseable_file_is_an_error(repo: Path) -> None:
    write_tree(repo, {"src/bad/__init__.py": "def broken(:\n"})
    facts, project = measure(repo, "bandit", "accepted_risks")
    res = result(facts, project, "bad", "dev.security_scan")
    assert res.status is Status.ERROR
    assert "src/bad/__init__.py" in res.summary


def test_missing_tools_are_errors_not_passes(repo: Path, tmp_path: Path) -> None:
    """Run maturity from an interpreter whose environment has no ruff/pyright/bandit."""
    write_tree(repo, TWO)
    base = Path(sys.base_prefix) / "bin" / "python3"
    site = sysconfig.get_paths()["purelib"]
    src = Path(__file__).resolve().parents[2] / "src"
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": os.pathsep.join([str(src), site]),
        "HOME": str(tmp_path),
    }
    out = tmp_path / "report.json"
    proc = subprocess.run(
        [str(base), "-m", "maturity", "run", str(repo), "--json", str(out), "--no-progress"],
        env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text())
    messy = next(c for c in report["components"] if c["name"] == "messy")
    by_id = {c["id"]: c for c in messy["criteria"]}
    for crit, tool in (
        ("dev.ruff", "ruff"),
        ("dev.pyright", "pyright"),
        ("dev.security_scan", "bandit"),
    ):
        assert by_id[crit]["status"] == "error", by_id[crit]
        assert f"{tool} is not installed" in by_id[crit]["summary"]


def test_broken_pyright_config_is_an_error_not_a_clean_pass(repo: Path) -> None:
    write_tree(repo, TWO)
    (repo / "pyrightconfig.json").write_text("{ not json")
    facts, project = measure(repo, "pyright")
    res = result(facts, project, "clean", "dev.pyright")
    assert res.status is Status.ERROR
    assert res.summary.startswith("pyright: pyright configuration file error (exit 3): Config file")


def too_complex_module(branches: int = 800) -> str:
    """A module whose code flow exceeds pyright's complexity limit (768) at module level:
    pyright reports "Code is too complex to analyze" with a file but no range."""
    body = "".join(f"if X > {i}:\n    Y = {i}\nelse:\n    Y = -{i}\n" for i in range(branches))
    return f'"""Generated."""\nimport random\n\nX = random.random()\nY = 0\n{body}'


def test_a_pyright_diagnostic_without_a_range_is_a_finding_of_its_file(repo: Path) -> None:
    write_tree(
        repo,
        {
            "src/huge/__init__.py": '"""Huge."""\n',
            "src/fine/__init__.py": '"""Fine."""\n\n\ndef f() -> int:\n    """F."""\n    return "x"\n',
        },
    )
    (repo / "src/huge/table.py").write_text(too_complex_module(), encoding="utf-8")
    raw = raw_json([str(BIN / "pyright"), "--outputjson", "src/huge"], repo)
    assert isinstance(raw, dict)
    [diag] = raw["generalDiagnostics"]
    assert "range" not in diag and diag["message"].startswith("Code is too complex")
    facts, project = measure(repo, "pyright")
    huge = result(facts, project, "huge", "dev.pyright")
    assert (huge.status, huge.display) == (Status.FAIL, "1 error, 0 warnings")
    assert huge.evidence[0].location() == "src/huge/table.py"  # the file, no line
    fine = result(facts, project, "fine", "dev.pyright")
    assert (fine.status, fine.display) == (Status.FAIL, "1 error, 0 warnings")
    assert fine.evidence[0].location() == "src/fine/__init__.py:6"
