"""``maturity run --changed-since REF``: on each shape of change (source, test, conftest,
config, dependency, deleted file, renamed file), the verdicts, figures and test account
equal those of a cold run (``--no-cache``) of the same commit, with the real tools; and
what could be carried from REF's run was carried."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from maturity.collectors.snapshot import SNAPSHOTS
from maturity.errors import EXIT_USAGE
from tests.helpers import cli, write_tree

pytestmark = pytest.mark.slow

COMPONENTS = ("alpha", "beta", "gamma")

REPO = {
    ".gitignore": "__pycache__/\n",  # as every repository has it: bytecode is not a change
    "pyproject.toml": """
        [tool.pytest.ini_options]
        pythonpath = ["src"]

        [tool.ruff.lint]
        select = ["F"]

        [tool.maturity.components.alpha]
        stage = "development"
        [tool.maturity.components.beta]
        stage = "development"
        [tool.maturity.components.gamma]
        stage = "development"
        """,
    "requirements.txt": "pytest\n",
    "src/alpha/__init__.py": '"""Alpha."""\n',
    "src/alpha/core.py": '''
        """Alpha's core."""

        import os

        LIMIT = 10


        def clamp(value: int) -> int:
            """Clamp a value to the limit."""
            if value > LIMIT:
                return LIMIT
            return value


        def unused() -> int:
            """Never tested."""
            return 1
        ''',
    "src/beta/__init__.py": '"""Beta."""\n',
    "src/beta/util.py": '''
        """Beta's helpers."""

        import subprocess


        def double(value: int) -> int:
            """Twice the value."""
            return value * 2


        def shell(command: str) -> int:
            """Run a command (bandit flags it)."""
            return subprocess.call(command, shell=True)
        ''',
    "src/beta/api.py": '''
        """Beta's API."""

        from beta.util import double


        def quadruple(value: int) -> int:
            """Four times the value."""
            return double(double(value))
        ''',
    "src/gamma/__init__.py": '"""Gamma."""\n',
    "src/gamma/constants.py": '"""Constants, run at import."""\n\nNAMES = ("a", "b")\n',
    "src/gamma/extra.py": '''
        """Extra."""


        def shout(text: str) -> str:
            """Upper case."""
            return text.upper()
        ''',
    "tests/unit/conftest.py": "import pytest\n\n\n@pytest.fixture\ndef ten():\n    return 10\n",
    "tests/unit/test_alpha.py": """
        from alpha.core import clamp


        def test_clamp_high(ten):
            assert clamp(50) == ten


        def test_clamp_low():
            assert clamp(3) == 3
        """,
    "tests/unit/test_beta.py": """
        from beta.api import quadruple
        from beta.util import double


        def test_double():
            assert double(2) == 4


        def test_quadruple():
            assert quadruple(1) == 4
        """,
    "tests/unit/test_gamma.py": """
        from gamma.constants import NAMES


        def test_names():
            assert len(NAMES) == 2
        """,
    "tests/unit/test_gamma_extra.py": """
        from gamma.extra import shout


        def test_shout():
            assert shout("a") == "A"
        """,
}


def git(repo: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@localhost", *args],
        cwd=repo, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return out.stdout


def run(repo: Path, *extra: str) -> tuple[dict, str]:
    out = repo.parent / "report.json"
    code, _, err = cli("run", str(repo), "--no-store", "--no-progress", "--json", str(out), *extra)
    assert code in (0, 1), err
    return json.loads(out.read_text()), err


def verdicts(report: dict) -> dict:
    """Every verdict and figure (not where or when it was measured)."""
    return {
        (c["name"], r["id"]): (r["status"], r["display"], r["summary"], r["value"])
        for c in report["components"]
        for r in c["criteria"]
    }


def account(report: dict) -> dict:
    """The test account: totals, and each component's tests and how they were attributed;
    of the durations (timings, never equal twice) which tests have one."""
    tests = report["tests"]
    found = {k: v for k, v in tests.items() if k not in ("sessions", "durations")}
    found["timed"] = sorted(tests.get("durations", {}))
    return found


def edit(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / rel
    text = path.read_text()
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new))


def source(repo: Path) -> None:
    # a new uncovered branch, a new unused import (ruff), the tests of alpha still pass
    edit(
        repo,
        "src/alpha/core.py",
        "    return value\n",
        "    if value < 0:\n        return 0\n    return value\n",
    )
    edit(repo, "src/alpha/core.py", "import os\n", "import os\nimport sys\n")


def test_file(repo: Path) -> None:
    # test_double fails now; test_quadruple is gone, so beta/api.py's body is not run any more
    edit(repo, "tests/unit/test_beta.py", "== 4\n\n\ndef", "== 5\n\n\ndef")
    edit(
        repo, "tests/unit/test_beta.py", "def test_quadruple():\n    assert quadruple(1) == 4\n", ""
    )


def conftest(repo: Path) -> None:
    edit(repo, "tests/unit/conftest.py", "return 10", "return 11")  # test_clamp_high fails


def config(repo: Path) -> None:
    edit(repo, "pyproject.toml", 'select = ["F"]', 'select = ["F", "E"]')


def dependency(repo: Path) -> None:
    edit(repo, "requirements.txt", "pytest\n", "pytest\ncoverage\n")


def deleted(repo: Path) -> None:
    (repo / "src/gamma/extra.py").unlink()
    (repo / "tests/unit/test_gamma_extra.py").unlink()


def renamed(repo: Path) -> None:
    git(repo, "mv", "src/beta/util.py", "src/beta/helpers.py")
    edit(repo, "src/beta/api.py", "beta.util", "beta.helpers")
    edit(repo, "tests/unit/test_beta.py", "beta.util", "beta.helpers")


def constants(repo: Path) -> None:
    # run only at import (collection): no test's own record names it, its module's does
    edit(repo, "src/gamma/constants.py", '("a", "b")', '("a", "b", "c")')


def signature(repo: Path) -> None:
    # pyright now finds errors in beta/api.py, which did not change but imports util.py
    edit(
        repo, "src/beta/util.py", "def double(value: int) -> int:", "def double(value: str) -> str:"
    )


SHAPES: dict[str, tuple[Callable[[Path], None], set[str]]] = {
    # shape: (change, facts carried from REF in whole or part)
    "source": (source, {"tests", "ruff", "bandit", "pyright", "docs"}),
    "test": (test_file, {"tests", "ruff", "bandit", "sources", "docs", "pyright"}),
    "conftest": (conftest, {"sources", "docs"}),
    "config": (config, {"sources"}),  # the parsed [tool.maturity] did not change
    "dependency": (dependency, {"ruff", "bandit", "pyright", "sources"}),
    "deleted": (deleted, {"tests", "ruff", "bandit", "pyright", "docs"}),
    "renamed": (renamed, {"tests", "ruff", "bandit", "pyright", "docs"}),
    "signature": (signature, {"tests", "ruff", "bandit", "pyright", "docs"}),
    "import-time": (constants, {"tests", "ruff", "bandit", "pyright", "docs"}),
}


def clone_with_kept_facts(repo: Path, base: str) -> Path:
    """A clone of ``repo`` elsewhere with only the facts kept for ``base`` (as CI's cache
    restores them)."""
    clone = repo.parent / "clone"
    git(repo.parent, "clone", "-q", str(repo), str(clone))
    shutil.copytree(repo / SNAPSHOTS / base, clone / SNAPSHOTS / base)
    return clone


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = write_tree(tmp_path / "repo", REPO)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


@pytest.mark.parametrize("shape", list(SHAPES))
def test_changed_since_equals_a_cold_run(repo: Path, shape: str) -> None:
    run(repo)  # REF's run keeps its facts for the commit
    change, carried = SHAPES[shape]
    change(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", shape)
    changed, err = run(repo, "--no-cache", "--changed-since", "HEAD~1")
    assert "warning" not in err, err
    cold, _ = run(repo, "--no-cache")
    assert cold["changed_since"] is None
    assert verdicts(changed) == verdicts(cold)
    assert account(changed) == account(cold)
    summary = changed["changed_since"]
    assert summary["commit"] == git(repo, "rev-parse", "HEAD~1").strip()
    assert {c["collector"] for c in summary["collectors"] if c["carried"]} == carried, summary


def test_a_source_change_reruns_only_the_tests_that_ran_it(repo: Path) -> None:
    run(repo)
    source(repo)  # uncommitted: the working tree is compared with REF
    changed, _ = run(repo, "--no-cache", "--changed-since", "HEAD")
    [tests] = [c for c in changed["changed_since"]["collectors"] if c["collector"] == "tests"]
    assert tests["carried"]
    assert tests["how"].startswith("2 tests of 1 affected test modules re-run"), tests
    assert "src/alpha/core.py" in changed["changed_since"]["files"]


def test_a_second_change_carries_from_the_changed_run(repo: Path) -> None:
    """A --changed-since run keeps its facts for its own commit: the next one carries them."""
    run(repo)
    source(repo)
    git(repo, "commit", "-qam", "one")
    run(repo, "--no-cache", "--changed-since", "HEAD~1")
    test_file(repo)
    git(repo, "commit", "-qam", "two")
    changed, _ = run(repo, "--no-cache", "--changed-since", "HEAD~1")
    cold, _ = run(repo, "--no-cache")
    assert verdicts(changed) == verdicts(cold)
    assert account(changed) == account(cold)


def test_a_fresh_clone_with_only_the_kept_facts_restored_carries_them(repo: Path) -> None:
    """As in CI: the push job's run keeps the base commit's facts, the cache carries only
    that directory to another checkout (another path here), which measures the change."""
    run(repo)
    base = git(repo, "rev-parse", "HEAD").strip()
    clone = clone_with_kept_facts(repo, base)
    source(clone)
    git(clone, "commit", "-qam", "change")
    changed, err = run(clone, "--no-cache", "--changed-since", base)
    assert "warning" not in err, err
    carried = {c["collector"] for c in changed["changed_since"]["collectors"] if c["carried"]}
    assert {"tests", "ruff", "bandit", "pyright"} <= carried
    cold, _ = run(clone, "--no-cache")
    assert verdicts(changed) == verdicts(cold)
    assert account(changed) == account(cold)


def test_a_file_coverage_does_not_measure_runs_every_test(tmp_path: Path) -> None:
    """A file [run] omit leaves out has no record of the tests that ran it: all run."""
    files = dict(REPO)
    files["pyproject.toml"] += '[tool.coverage.run]\nomit = ["*/gamma/extra.py"]\n'
    root = write_tree(tmp_path / "repo", files)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    run(root)
    edit(root, "src/gamma/extra.py", "text.upper()", "text.lower()")  # test_shout fails now
    changed, _ = run(root, "--no-cache", "--changed-since", "HEAD")
    [tests] = [c for c in changed["changed_since"]["collectors"] if c["collector"] == "tests"]
    assert not tests["carried"]
    assert "REF's coverage did not measure it" in tests["how"]
    cold, _ = run(root, "--no-cache")
    assert verdicts(changed) == verdicts(cold)
    assert changed["tests"]["outcomes"]["failed"] == 1


def test_no_facts_kept_for_ref_measures_everything_and_says_so(repo: Path) -> None:
    run(repo)
    shutil.rmtree(repo / SNAPSHOTS)
    source(repo)
    changed, err = run(repo, "--no-cache", "--changed-since", "HEAD")
    head = git(repo, "rev-parse", "HEAD").strip()
    assert f"warning: no facts kept for HEAD ({head[:12]})" in err
    assert changed["changed_since"]["collectors"] == []
    cold, _ = run(repo, "--no-cache")
    assert verdicts(changed) == verdicts(cold)


def test_an_unknown_ref_is_a_one_line_usage_error(repo: Path) -> None:
    code, _, err = cli("run", str(repo), "--no-store", "--no-progress", "--changed-since", "nope")
    assert code == EXIT_USAGE
    assert err.count("\n") == 1 and "--changed-since nope: not a commit" in err, err
    assert "fetch-depth" in err


def test_a_sharded_then_merged_run_keeps_the_facts_pull_requests_carry(repo: Path) -> None:
    """With ``init --shards`` the default branch is measured by shards and merged: the
    merge keeps the commit's facts, as a plain run does, so a pull request carries them."""
    bundles = []
    for k in (1, 2):
        bundle = repo.parent / f"shard-{k}"
        code, _, err = cli("run", str(repo), "--shard", f"{k}/2", "--bundle", str(bundle))
        assert code == 0, err
        bundles.append(str(bundle))
    assert not (repo / SNAPSHOTS).exists()  # a shard alone keeps nothing: it is a part
    code, _, err = cli("merge", *bundles, "--path", str(repo), "--no-store")
    assert code in (0, 1), err
    base = git(repo, "rev-parse", "HEAD").strip()
    assert (repo / SNAPSHOTS / base / "meta.json").is_file()
    source(repo)
    git(repo, "commit", "-qam", "change")
    changed, err = run(repo, "--no-cache", "--changed-since", base)
    assert "warning" not in err, err
    carried = {c["collector"] for c in changed["changed_since"]["collectors"] if c["carried"]}
    assert {"tests", "ruff", "bandit", "pyright"} <= carried
    cold, _ = run(repo, "--no-cache")
    assert verdicts(changed) == verdicts(cold)
    assert account(changed) == account(cold)


def test_a_workspace_member_change_reruns_its_tests_and_equals_a_cold_run(tmp_path: Path) -> None:
    """Members with their own sessions and coverage configuration: the re-run's data is
    merged, then read from each member's directory, as a cold run reads it."""
    from tests.workspace_repos import MEMBER_A, MEMBER_B, UV_ROOT

    root = write_tree(tmp_path / "ws", {**UV_ROOT, **MEMBER_A, **MEMBER_B})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    run(root)
    edit(root, "libs/a/pkg/a/core.py", "if x < 0: return 0", "if x < 0: return -1")
    changed, err = run(root, "--no-cache", "--changed-since", "HEAD")
    assert "warning" not in err, err
    [tests] = [c for c in changed["changed_since"]["collectors"] if c["collector"] == "tests"]
    assert tests["carried"] and tests["how"].startswith("2 tests of 1 affected"), (
        tests,
        changed["tests"],
    )
    cold, _ = run(root, "--no-cache")
    assert verdicts(changed) == verdicts(cold)
    assert account(changed) == account(cold)
    assert changed["tests"]["outcomes"]["failed"] == 1  # test_negative now fails


@pytest.mark.parametrize("same_checkout", [True, False])
def test_relative_file_names_in_the_data_are_matched_and_kept_relative(
    tmp_path: Path, same_checkout: bool
) -> None:
    """``[run] relative_files = true`` (black's setting): the data file and the per-test
    record name files relative to the root. A carried test keeps its files (it stays
    attributed to its component), and the change is matched whatever the directory
    maturity runs from; in the same checkout and in a fresh clone elsewhere."""
    files = dict(REPO)
    files["pyproject.toml"] += "[tool.coverage.run]\nrelative_files = true\n"
    root = write_tree(tmp_path / "repo", files)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    run(root)
    base = git(root, "rev-parse", "HEAD").strip()
    if not same_checkout:
        root = clone_with_kept_facts(root, base)
    source(root)
    changed, err = run(root, "--no-cache", "--changed-since", base)
    assert "warning" not in err, err
    [tests] = [c for c in changed["changed_since"]["collectors"] if c["collector"] == "tests"]
    assert tests["carried"] and tests["how"].startswith("2 tests of 1 affected"), tests
    cold, _ = run(root, "--no-cache")
    assert verdicts(changed) == verdicts(cold)
    assert account(changed) == account(cold)
    assert changed["tests"]["unattributed"] == []
