"""What each workspace member keeps in its own directory, measured for real: its coverage
configuration, its unit and integration tests, its rollback plan; files that skip
themselves; the workspaces hatch, pdm and Poetry declare."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import judge, measure, write_tree
from tests.workspace_repos import (
    DECLARATIONS,
    MEMBER_A,
    MEMBER_B,
    MEMBER_RECORDS,
    OWN_COVERAGE,
    SELF_SKIPPING,
)

pytestmark = pytest.mark.slow


def raw(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """A raw tool run by hand in a member's directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COVERAGE", "PYTEST"))}
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env, check=False)


def coverage_by_hand(member: Path, source: str) -> dict[str, tuple[int, int, int, int]]:
    """(statements, covered, branches, covered branches) per file, as ``coverage run`` and
    ``coverage json`` give them in the member's directory under its own configuration."""
    data = member.parent / f"{member.name}.coverage"
    raw([sys.executable, "-m", "coverage", "run", f"--source={source}", f"--data-file={data}",
         "-m", "pytest", "-q", "-p", "no:cacheprovider"], member)  # fmt: skip
    out = raw([sys.executable, "-m", "coverage", "json", f"--data-file={data}", "-o", "-"], member)
    figures: dict[str, tuple[int, int, int, int]] = {}
    for name, f in json.loads(out.stdout)["files"].items():
        s = f["summary"]
        figures[f"libs/{member.name}/{name}"] = (
            s["num_statements"], s["covered_lines"],
            s.get("num_branches", 0), s.get("covered_branches", 0),
        )  # fmt: skip
    return figures


def test_a_members_own_coverage_configuration_applies_to_it_alone(tmp_path: Path) -> None:
    repo = write_tree(tmp_path / "repo", OWN_COVERAGE)
    facts, project = measure(repo, "tests")
    cov = facts.coverage
    assert cov is not None and cov.error is None, cov and cov.error
    mine = {
        f: (c.statements, c.covered, c.branches, c.covered_branches) for f, c in cov.files.items()
    }
    # a: branches measured, its generated code omitted, exactly as by hand in libs/a
    by_hand_a = coverage_by_hand(repo / "libs/a", "pkg/a")
    assert {f: v for f, v in mine.items() if f.startswith("libs/a/")} == by_hand_a
    assert mine["libs/a/pkg/a/core.py"][2] == 2  # `if x < 0` has two branches
    assert not any("/generated/" in f for f in mine)
    # b: lines only, as by hand in libs/b (no configuration there)
    by_hand_b = coverage_by_hand(repo / "libs/b", "pkg/b")
    assert {f: v for f, v in mine.items() if f.startswith("libs/b/")} == by_hand_b
    assert all(branches == 0 for _, _, branches, _ in by_hand_b.values())
    # each figure is statements plus branches, as `coverage report` totals them
    for name, by_hand in (("a", by_hand_a), ("b", by_hand_b)):
        total = sum(s + b for s, _, b, _ in by_hand.values())
        covered = sum(c + cb for _, c, _, cb in by_hand.values())
        shown = judge(facts, project, name, "dev.coverage").display
        assert shown == f"{100 * covered / total:.1f}%"


def test_a_test_file_that_skips_itself_is_counted_skipped_as_pytest_counts_it(
    tmp_path: Path,
) -> None:
    repo = write_tree(tmp_path / "repo", SELF_SKIPPING)
    facts, project = measure(repo, "tests")
    run = facts.tests
    assert run is not None and run.error is None
    session_a = next(s for s in run.sessions if s.project == "libs/a")
    assert session_a.outcomes == {"passed": 2, "skipped": 2}
    skipped = sorted((t.nodeid, t.message) for t in run.tests if t.outcome == "skipped")
    assert skipped == [
        ("libs/a/tests/test_needs_driver.py", "the database driver is not installed"),
        ("libs/a/tests/test_optional.py", "could not import 'not_installed_anywhere': No module"
         " named 'not_installed_anywhere'"),
    ]  # fmt: skip
    # pytest by hand in the member's directory says the same
    out = raw([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
              repo / "libs/a")  # fmt: skip
    assert re.search(r"\b2 passed, 2 skipped\b", out.stdout), out.stdout
    unit = judge(facts, project, "a", "dev.unit_tests")
    assert "2 skipped" in unit.display
    assert not judge(facts, project, "a", "dev.unit_tests").summary.startswith("0 tests")


def test_a_members_unit_tests_subdirectory_is_its_session_not_its_integration_tests(
    tmp_path: Path,
) -> None:
    repo = write_tree(tmp_path / "repo", SELF_SKIPPING)
    facts, project = measure(repo, "tests")
    assert project.component("u").tests == ["libs/u/tests/unit_tests"]
    assert project.component("a").tests == ["libs/a/tests"]
    run = facts.tests
    assert run is not None
    session_u = next(s for s in run.sessions if s.project == "libs/u")
    assert (session_u.paths, session_u.outcomes, session_u.collection_errors) == (
        ["libs/u/tests/unit_tests"], {"passed": 1}, 0
    )  # fmt: skip
    assert session_u.command == "cd libs/u && python -m pytest tests/unit_tests"
    # the whole tests/ in one session is what the project never runs: the two test_one.py
    clash = raw([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
                repo / "libs/u")  # fmt: skip
    assert "import file mismatch" in clash.stdout
    assert judge(facts, project, "u", "dev.unit_tests").status == "pass"


def test_integration_tests_and_rollback_plan_in_a_members_directory_are_its_own(
    tmp_path: Path,
) -> None:
    repo = write_tree(tmp_path / "repo", MEMBER_RECORDS)
    facts, project = measure(repo, "integration_files", "integration_tests", "rollback")
    written = judge(facts, project, "a", "dev.integration_tests")
    assert written.status == "pass"
    assert [e.file for e in written.evidence] == ["libs/a/tests/integration/test_a_flow.py"]
    suite = facts.integration_tests
    assert suite is not None and suite.error is None
    # run in a's own session from its directory (its pythonpath, its configuration)
    assert suite.command == "cd libs/a && python -m pytest tests/integration"
    assert [(t.nodeid, t.outcome) for t in suite.tests] == [
        ("libs/a/tests/integration/test_a_flow.py::test_flow", "passed")
    ]
    passing = judge(facts, project, "a", "stg.integration_tests")
    assert passing.status == "pass", passing.summary
    assert passing.commands == ["cd libs/a && python -m pytest tests/integration/test_a_*.py"]
    out = raw([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "tests/integration"], repo / "libs/a")  # fmt: skip
    assert "1 passed" in out.stdout
    plan = judge(facts, project, "a", "stg.rollback_plan")
    assert plan.status == "pass", plan.summary
    assert facts.rollback is not None and facts.rollback.plans["a"] == "libs/a/docs/rollback/a.md"
    # b has neither: nothing of a's is lent to it
    assert judge(facts, project, "b", "dev.integration_tests").status == "fail"
    assert judge(facts, project, "b", "stg.integration_tests").status == "fail"
    assert judge(facts, project, "b", "stg.rollback_plan").status == "fail"


@pytest.mark.parametrize("tool", sorted(DECLARATIONS))
def test_hatch_pdm_and_poetry_workspaces_are_measured_member_by_member(
    tmp_path: Path, tool: str
) -> None:
    files = {**MEMBER_A, **MEMBER_B, "pyproject.toml": DECLARATIONS[tool]}
    repo = write_tree(tmp_path / "repo", files)
    facts, project = measure(repo, "tests", "ruff")
    assert [(c.name, c.path, c.project) for c in project.components] == [
        ("a", "libs/a/pkg/a", "libs/a"),
        ("b", "libs/b/pkg/b", "libs/b"),
    ]
    run = facts.tests
    assert run is not None and run.error is None
    assert [(s.project, s.rootdir, s.outcomes) for s in run.sessions] == [
        ("libs/a", "libs/a", {"passed": 2}),
        ("libs/b", "libs/b", {"passed": 3}),
    ]
    assert judge(facts, project, "a", "dev.coverage").display == "66.7%"
    assert judge(facts, project, "b", "dev.unit_tests").status == "pass"
    # each member's own ruff selection: b's E701, nothing under a's F-only rules
    assert facts.ruff is not None
    assert [(f.file, f.code) for f in facts.ruff.findings] == [("libs/b/pkg/b/store.py", "E701")]


def test_the_coverage_command_shown_for_a_member_gives_its_figure(tmp_path: Path) -> None:
    """The "check it by hand" command of each member's coverage runs from the member's
    directory (its own configuration: branches in a, lines in b) and prints maturity's
    figure: run as shown, from the repository root."""
    repo = write_tree(tmp_path / "repo", OWN_COVERAGE)
    facts, project = measure(repo, "tests")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COVERAGE", "PYTEST"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    for name in ("a", "b"):
        verdict = judge(facts, project, name, "dev.coverage")
        [command] = [c for c in verdict.commands if c.startswith("cd ")]
        assert command.startswith(f"cd libs/{name} && coverage report"), command
        shown = subprocess.run(
            ["bash", "-c", command], cwd=repo, capture_output=True, text=True, env=env, check=True
        ).stdout
        total = re.search(r"^TOTAL\s.*?(\d+\.\d)%$", shown, re.MULTILINE)
        assert total is not None, shown
        assert f"{total.group(1)}%" == verdict.display, (command, shown)
