"""Workspace monorepos measured for real: one pytest session per member, run from its
directory, combined coverage, per-member static tool configuration, collisions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from maturity.collectors.base import find_tool
from tests.helpers import judge, measure, write_tree
from tests.workspace_repos import COLLIDING, WORKSPACE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory):
    repo = write_tree(tmp_path_factory.mktemp("ws") / "repo", WORKSPACE)
    facts, project = measure(repo, "tests", "ruff", "pyright", "bandit", "docs")
    return repo, facts, project


def raw(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """A raw tool run by hand, as a user would in the member's directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COVERAGE", "PYTEST"))}
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env, check=False)


def test_each_member_runs_in_its_own_session_from_its_directory(workspace) -> None:
    repo, facts, _ = workspace
    run = facts.tests
    assert run.error is None
    assert [(s.project, s.rootdir, s.inifile) for s in run.sessions] == [
        ("libs/a", "libs/a", "libs/a/pyproject.toml"),
        ("libs/b", "libs/b", "libs/b/pyproject.toml"),
        ("libs/c", "libs/c", run.sessions[2].inifile),
    ]
    assert [s.outcomes for s in run.sessions[:2]] == [{"passed": 2}, {"passed": 3}]
    assert run.sessions[0].command == "cd libs/a && python -m pytest tests"
    # node ids as pytest prints them from the repository root: unique across sessions
    ids = sorted(t.nodeid for t in run.tests)
    assert ids[0] == "libs/a/tests/test_store.py::test_double"
    assert len(ids) == len(set(ids)) == 5
    # the raw tool agrees, member by member (two `tests` packages never clash)
    for member, passed in (("a", 2), ("b", 3)):
        out = raw(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], repo / "libs" / member
        )
        assert f"{passed} passed" in out.stdout


def test_a_member_whose_collection_fails_is_error_never_zero_tests(workspace) -> None:
    _, facts, project = workspace
    (error,) = facts.tests.collection_errors
    assert error.file == "libs/c/tests/test_c.py"  # absolute in the plugin, repo-relative here
    unit = judge(facts, project, "c", "dev.unit_tests")
    assert unit.status == "error"
    assert "not_installed_anywhere" in unit.summary
    assert unit.commands == ["cd libs/c && python -m pytest tests"]
    # the other members' figures stand: their sessions collected everything
    assert judge(facts, project, "a", "dev.unit_tests").status == "pass"
    assert judge(facts, project, "b", "dev.coverage").status == "pass"
    assert judge(facts, project, "c", "dev.coverage").status == "error"


def test_coverage_is_combined_and_counts_never_imported_namespace_modules(workspace) -> None:
    repo, facts, project = workspace
    cov = facts.coverage
    assert cov is not None and cov.error is None
    never = cov.files["libs/a/pkg/a/extra/never.py"]  # no __init__.py above it
    assert (never.statements, never.covered) == (2, 0)
    assert sorted(cov.files["libs/a/pkg/a/core.py"].tests) == [
        "libs/a/tests/test_store.py::test_double",
        "libs/a/tests/test_store.py::test_negative",
    ]
    # the raw tool in the member's directory, configured to count namespace packages
    member = repo / "libs/a"
    rc = member.parent / "a-namespace.rc"
    rc.write_text("[report]\ninclude_namespace_packages = true\n", encoding="utf-8")
    data = member.parent / "a.coverage"
    raw([sys.executable, "-m", "coverage", "run", f"--rcfile={rc}", "--source=pkg/a",
         f"--data-file={data}", "-m", "pytest", "-q", "-p", "no:cacheprovider"], member)  # fmt: skip
    report = raw([sys.executable, "-m", "coverage", "json", f"--rcfile={rc}",
                  f"--data-file={data}", "-o", "-"], member)  # fmt: skip
    by_hand = json.loads(report.stdout)["files"]
    assert {f"libs/a/{f}": (v["summary"]["num_statements"], v["summary"]["covered_lines"])
            for f, v in by_hand.items()} == {
        f: (c.statements, c.covered) for f, c in cov.files.items() if f.startswith("libs/a/")
    }  # fmt: skip
    verdict = judge(facts, project, "a", "dev.coverage")
    assert verdict.display == "66.7%"
    # one data file the user can `coverage report`: both members' sessions combined
    combined = raw([sys.executable, "-m", "coverage", "report",
                    f"--data-file={repo / cov.data_file}"], repo)  # fmt: skip
    assert "libs/a/pkg/a/core.py" in combined.stdout
    assert "libs/b/pkg/b/store.py" in combined.stdout
    assert all((repo / s.data_file).is_file() for s in facts.tests.sessions if s.data_file)


def test_static_tools_use_each_members_own_configuration(workspace) -> None:
    repo, facts, project = workspace
    # the ruff run: b selects E (E701 found), a selects F only (the same kind of line is clean)
    assert [(f.file, f.code) for f in facts.ruff.findings] == [("libs/b/pkg/b/store.py", "E701")]
    ruff = find_tool("ruff")
    assert ruff is not None
    for member, count in (("a", 0), ("b", 1)):
        out = raw(
            [ruff, "check", "--output-format=json", "--exit-zero", "."], repo / "libs" / member
        )
        assert len([d for d in json.loads(out.stdout) if "/pkg/" in d["filename"]]) == count
    assert judge(facts, project, "b", "dev.ruff").commands == ["cd libs/b && ruff check pkg/b"]
    # the pyright run: b's own configuration is strict, so its untyped function is reported
    b_pyright = [f for f in facts.pyright.findings if f.file.startswith("libs/b/")]
    pyright = find_tool("pyright")
    assert pyright is not None
    out = raw([pyright, "--outputjson", "--pythonpath", sys.executable, "pkg/b"], repo / "libs/b")
    by_hand = [d for d in json.loads(out.stdout)["generalDiagnostics"]
               if d["severity"] in ("error", "warning")]  # fmt: skip
    assert len(b_pyright) == len(by_hand) > 0
    assert not [f for f in facts.pyright.findings if f.file.startswith("libs/a/")]
    # bandit: a skips B101 in its configuration, b does not
    assert [(f.file, f.code) for f in facts.bandit.findings] == [("libs/b/pkg/b/store.py", "B101")]


def test_the_readme_beside_the_members_pyproject_is_its_readme(workspace) -> None:
    _, facts, _ = workspace
    assert facts.docs.components["libs/a/pkg/a"].readme is not None
    assert facts.docs.components["libs/a/pkg/a"].readme.path == "libs/a/README.md"
    assert facts.docs.components["libs/b/pkg/b"].readme is None


def test_colliding_test_module_names_are_reported_not_dropped(tmp_path: Path) -> None:
    repo = write_tree(tmp_path / "repo", COLLIDING)
    facts, project = measure(repo, "tests")
    run = facts.tests
    assert run is not None
    assert len(run.sessions) == 1  # no member pyproject: one session, as before
    (clash,) = run.collection_errors
    assert clash.file == "two/tests/test_store.py"
    assert "collides" in clash.message and "one/tests/test_store.py" in clash.message
    assert judge(facts, project, "two", "dev.unit_tests").status == "error"
    assert judge(facts, project, "one", "dev.unit_tests").status == "pass"


def test_the_src_layout_keeps_one_session_from_the_root(tmp_path: Path) -> None:
    repo = write_tree(
        tmp_path / "repo",
        {
            "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["src"]\n',
            "src/calc/__init__.py": "def one() -> int:\n    return 1\n",
            "tests/test_calc.py": "from calc import one\n\n\ndef test_one():\n    assert one() == 1\n",
        },
    )
    facts, _ = measure(repo, "tests")
    assert facts.tests is not None
    (session,) = facts.tests.sessions
    assert (session.project, session.rootdir, session.command) == (
        ".",
        ".",
        "python -m pytest tests",
    )
    assert session.data_file == ".maturity/run/.coverage"
    assert not (repo / ".maturity/run/sessions").exists()
    assert [t.nodeid for t in facts.tests.tests] == ["tests/test_calc.py::test_one"]


def test_every_surface_shows_the_sessions_and_project_directories(tmp_path: Path) -> None:
    from tests.helpers import cli

    repo = write_tree(tmp_path / "repo", WORKSPACE)
    json_out, md_out = tmp_path / "r.json", tmp_path / "r.md"
    code, out, _ = cli("run", str(repo), "--no-store", "--json", str(json_out),
                       "--markdown", str(md_out))  # fmt: skip
    assert code == 0
    text = " ".join(out.split())
    assert "a (libs/a/pkg/a in project libs/a)" in text
    assert "session libs/b/: rootdir libs/b, config libs/b/pyproject.toml" in text
    assert "check by hand: cd libs/b && python -m pytest tests" in text
    assert "0 tests" not in text
    document = json.loads(json_out.read_text())
    assert [c["project"] for c in document["components"]] == ["libs/a", "libs/b", "libs/c"]
    sessions = document["tests"]["sessions"]
    assert [(s["project"], s["collected"], s["collection_errors"]) for s in sessions] == [
        ("libs/a", 2, 0), ("libs/b", 3, 0), ("libs/c", 0, 1)
    ]  # fmt: skip
    markdown = md_out.read_text()
    assert "- `libs/a/`: rootdir libs/a" in markdown
    assert "`cd libs/a && python -m pytest tests`" in markdown
