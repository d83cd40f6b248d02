"""Sharded runs: ``run --shard K/N`` on every shard, then ``merge``, equals one unsharded run
(figures, outcomes, verdicts, evidence) on a generated repository and on ``examples/tta``;
bundles that do not make one run are an error naming the bundle (exit 8); the shards are
balanced by the stored durations of the previous run; ``init --shards N`` writes a
matrix workflow that passes actionlint."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from maturity.errors import EXIT_SHARDS
from maturity.init.sharded import SHARDED_FILE
from maturity.init.workflows import QUALITY_FILE, STAGING_FILE
from maturity.store import latest_run, open_store, run_count
from tests.helpers import cli, write_tree
from tests.integration.test_init_workflows import INSTALL, actionlint, new_repo
from tests.workspace_repos import MEMBER_A, MEMBER_B, UV_ROOT

pytestmark = pytest.mark.slow
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tta"

REPO = {
    "pyproject.toml": """
        [project]
        name = "shop"
        version = "0.1.0"

        [tool.pytest.ini_options]
        pythonpath = ["src"]
        markers = ["slow_one: the slow test"]

        [tool.coverage.run]
        branch = true
    """,
    "src/cart/__init__.py": '"""Carts."""\n',
    "src/cart/core.py": '''
        """Cart totals."""


        def total(prices: list[int], discount: int = 0) -> int:
            """The sum less a discount, never below zero."""
            if discount > sum(prices):
                return 0
            return sum(prices) - discount
    ''',
    "src/pay/__init__.py": '"""Payments."""\n',
    "src/pay/core.py": '''
        """Payments."""
        import os
        import subprocess


        def charge(amount: int) -> str:
            """Charge an amount."""
            if amount < 0:
                raise ValueError("negative")
            return subprocess.run(f"echo {amount}", shell=True, capture_output=True).stdout
    ''',
    "src/ship/__init__.py": '"""Shipping."""\n',
    "src/ship/core.py": '''
        """Shipping."""


        def weight(items: list[int]) -> int:
            """Total weight."""
            heavy: int = "no"
            return sum(items)


        def never() -> int:
            """Never tested."""
            return 1
    ''',
    "tests/test_cart.py": """
        from cart.core import total


        def test_total():
            assert total([1, 2]) == 3


        def test_discount():
            assert total([1, 2], 5) == 0


        def test_wrong():
            assert total([1]) == 2
    """,
    "tests/test_pay.py": """
        import pytest

        from pay.core import charge


        def test_negative():
            with pytest.raises(ValueError):
                charge(-1)


        @pytest.mark.skip(reason="no money here")
        def test_skipped():
            charge(1)
    """,
    "tests/test_ship.py": """
        from ship.core import weight


        def test_weight():
            assert weight([1, 2]) == 3


        def test_empty():
            assert weight([]) == 0
    """,
}
BROKEN = {"tests/test_broken.py": "import nowhere_to_be_found\n"}


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        check=True, capture_output=True,
    )  # fmt: skip


def generated(root: Path, files: dict[str, str] = REPO) -> Path:
    write_tree(root, files)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    return root


def shard(repo: Path, k: int, n: int, out: Path, *extra: str) -> Path:
    bundle = out / f"b{k}-of-{n}"
    code, stdout, err = cli(
        "run", str(repo), "--shard", f"{k}/{n}", "--bundle", str(bundle), *extra
    )
    assert code == 0, err
    assert f"shard {k}/{n}:" in stdout
    return bundle


def shards(repo: Path, n: int, out: Path, *extra: str) -> list[Path]:
    return [shard(repo, k, n, out, *extra) for k in range(1, n + 1)]


def merged(repo: Path, bundles: list[Path], out: Path, *extra: str) -> dict[str, Any]:
    code, _, err = cli("merge", *map(str, bundles), "--path", str(repo), "--json", str(out), *extra)
    assert code == 0, err
    return json.loads(out.read_text())


def unsharded(repo: Path, out: Path) -> dict[str, Any]:
    code, _, err = cli("run", str(repo), "--no-store", "--no-cache", "--json", str(out))
    assert code == 0, err
    return json.loads(out.read_text())


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    """A report without what differs between any two runs: times, run directories."""
    report = copy.deepcopy(report)
    tests = report["tests"]
    durations = tests.pop("durations")  # every test that ran (or was skipped) has one; a
    # file that skipped itself while being collected is a skipped test that never ran
    reported = {"deselected", "not run"}
    assert len(durations) <= sum(n for o, n in tests["outcomes"].items() if o not in reported)
    assert len(durations) >= sum(n for o, n in tests["outcomes"].items() if o == "passed")
    for session in tests["sessions"]:
        assert session.pop("data_file").endswith("/.coverage")
    components = []
    for comp in report["components"]:
        criteria = []
        for given in comp["criteria"]:
            crit = dict(given)
            crit["evidence"] = sorted(json.dumps(e, sort_keys=True) for e in crit["evidence"])
            crit.pop("commands")  # name the run directory and the shards' commands
            crit["details"] = {k: v for k, v in crit["details"].items() if k != "data_file"}
            criteria.append(crit)
        components.append({**comp, "criteria": criteria})
    return {
        "components": components,
        "tests": tests,
        "notices": report["notices"],
        "tools": report["tools"],
        "stages": report["stages"],
        "interpreter_version": report["interpreter_version"],
        "git": report["git"],
    }


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    root = generated(tmp_path_factory.mktemp("shop") / "shop")
    return root, unsharded(root, root.parent / "whole.json")


@pytest.fixture(scope="module")
def bundles(
    repo: tuple[Path, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> dict[int, list[Path]]:
    """The generated repository's bundles for 2 and 3 shards (read-only for the tests)."""
    root, _ = repo
    out = tmp_path_factory.mktemp("bundles")
    return {n: shards(root, n, out) for n in (2, 3)}


@pytest.fixture(scope="module")
def tta(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("tta") / "tta"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".venv", "__pycache__", "run"))
    return root, unsharded(root, root.parent / "whole.json")


@pytest.mark.parametrize("n", [2, 3])
def test_generated_repo_sharded_then_merged_equals_unsharded(
    repo, bundles, n: int, tmp_path: Path
) -> None:
    root, whole = repo
    report = merged(root, bundles[n], tmp_path / "merged.json", "--no-store")
    assert comparable(report) == comparable(whole)
    # the figures are real ones, not empty ones that happen to agree
    by = {c["name"]: {k["id"]: k for k in c["criteria"]} for c in report["components"]}
    assert by["cart"]["dev.unit_tests"]["display"] == "2 passed, 1 failed"
    assert by["pay"]["dev.security_scan"]["status"] == "fail"
    assert by["pay"]["dev.ruff"]["summary"].startswith("2 findings: F401")
    assert by["ship"]["dev.pyright"]["display"] == "1 error, 0 warnings"
    # statements and branches, of lines run in different shards
    assert by["ship"]["dev.coverage"]["summary"] == "4/5 covered"
    assert by["pay"]["dev.coverage"]["summary"] == "6/8 covered"
    assert by["pay"]["dev.unit_tests"]["summary"].endswith("(1 by coverage contexts, 1 by imports)")
    assert report["tests"]["outcomes"] == {"passed": 5, "failed": 1, "skipped": 1}


def test_a_collection_error_every_shard_meets_is_counted_once(tmp_path: Path) -> None:
    root = generated(tmp_path / "shop", {**REPO, **BROKEN})
    whole = unsharded(root, tmp_path / "whole.json")
    report = merged(root, shards(root, 2, tmp_path), tmp_path / "merged.json", "--no-store")
    assert comparable(report) == comparable(whole)
    assert report["tests"]["collection_errors"] == 1
    cart = next(c for c in report["components"] if c["name"] == "cart")
    unit = next(k for k in cart["criteria"] if k["id"] == "dev.unit_tests")
    assert unit["status"] == "error" and "tests/test_broken.py" in unit["summary"]


@pytest.mark.parametrize("n", [2, 3])
def test_tta_sharded_then_merged_equals_unsharded(tta, n: int, tmp_path: Path) -> None:
    root, whole = tta
    report = merged(root, shards(root, n, tmp_path), tmp_path / "merged.json", "--no-store")
    assert comparable(report) == comparable(whole)
    assert sum(report["tests"]["outcomes"].values()) == whole["tests"]["collected"] > 20


def test_a_file_skipping_itself_every_shard_collects_is_counted_once(tmp_path: Path) -> None:
    later = 'import pytest\n\npytest.skip("later", allow_module_level=True)\n'
    root = generated(tmp_path / "shop", {**REPO, "tests/test_later.py": later})
    whole = unsharded(root, tmp_path / "whole.json")
    report = merged(root, shards(root, 2, tmp_path), tmp_path / "merged.json", "--no-store")
    assert comparable(report) == comparable(whole)
    assert report["tests"]["outcomes"]["skipped"] == whole["tests"]["outcomes"]["skipped"] >= 1


def test_each_shard_runs_a_part_and_the_parts_add_up(repo, bundles) -> None:
    _, whole = repo
    manifests = [json.loads((b / "manifest.json").read_text()) for b in bundles[3]]
    assert [m["tests"] for m in manifests] == [3, 2, 2]  # by count: no stored durations
    assert sorted(r for m in manifests for r in m["roots"]) == ["src/cart", "src/pay", "src/ship"]
    assert all(len(m["roots"]) == 1 for m in manifests)
    assert "docs" in manifests[0]["collectors"]
    assert all("docs" not in m["collectors"] for m in manifests[1:])
    ran = set()
    for bundle in bundles[3]:
        facts = json.loads((bundle / "facts" / "tests.json").read_text())
        ids = {t["nodeid"] for t in facts["tests"]}
        assert not ids & ran
        ran |= ids
    assert len(ran) == whole["tests"]["collected"]


def test_shards_are_balanced_by_the_stored_durations(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[project]\nname = 'slow'\n[tool.pytest.ini_options]\npythonpath = ['src']\n",
        "src/work/__init__.py": '"""Work."""\n\n\ndef one() -> int:\n    """One."""\n    return 1\n',
        "tests/test_a_fast.py": "from work import one\n\n"
        + "".join(f"def test_fast_{i}():\n    assert one() == 1\n\n\n" for i in range(4)),
        "tests/test_z_slow.py": "import time\n\nfrom work import one\n\n\n"
        "def test_slow():\n    time.sleep(0.5)\n    assert one() == 1\n",
    }
    root = generated(tmp_path / "slow", files)
    db = f"sqlite:///{tmp_path / 'history.db'}"
    code, _, err = cli("run", str(root), "--db", db)
    assert code == 0, err
    bundles = shards(root, 2, tmp_path, "--db", db)
    parts = [
        {t["nodeid"] for t in json.loads((b / "facts" / "tests.json").read_text())["tests"]}
        for b in bundles
    ]
    # greedy longest-first: the slow test alone fills shard 1, the four fast ones shard 2
    assert parts[0] == {"tests/test_z_slow.py::test_slow"}
    assert len(parts[1]) == 4
    manifest = json.loads((bundles[0] / "manifest.json").read_text())
    assert manifest["durations_from"].startswith("run #1 of sqlite:///")
    # without the history: by count, in collection order
    by_count = shards(root, 2, tmp_path / "none")
    first = json.loads((by_count[0] / "facts" / "tests.json").read_text())["tests"]
    assert len(first) == 3


def test_merge_stores_one_run(repo, bundles, tmp_path: Path) -> None:
    root, _ = repo
    db = f"sqlite:///{tmp_path / 'h.db'}"
    code, out, err = cli("merge", *map(str, bundles[2]), "--path", str(root), "--db", db)
    assert code == 0, err
    assert "stored as run #1" in out
    store = open_store(db)
    assert run_count(store) == 1
    _, stored = latest_run(store) or (0, None)
    assert stored is not None and stored.tests is not None
    assert stored.tests.collected == len(stored.tests.durations) == 7


def expect_error(*args: str) -> str:
    code, _, err = cli(*args)
    assert code == EXIT_SHARDS, err
    assert err.startswith("maturity: error: ")
    assert len(err.strip().splitlines()) == 1
    return err


def test_a_missing_shard_is_an_error_naming_it(repo, bundles) -> None:
    root, _ = repo
    b1, _, b3 = bundles[3]
    err = expect_error("merge", str(b1), str(b3), "--path", str(root), "--no-store")
    assert "missing shard 2/3" in err


def test_a_duplicated_shard_is_an_error_naming_it(repo, bundles, tmp_path: Path) -> None:
    root, _ = repo
    b1, b2 = bundles[2]
    copy = tmp_path / "copy-of-b1"
    shutil.copytree(b1, copy)
    err = expect_error("merge", str(b1), str(b2), str(copy), "--path", str(root), "--no-store")
    assert f"{copy}: shard 1/2 given twice (also {b1})" in err


def test_shards_of_another_count_or_not_a_bundle_are_errors(repo, bundles, tmp_path) -> None:
    root, _ = repo
    b1, c2 = bundles[2][0], bundles[3][1]
    err = expect_error("merge", str(b1), str(c2), "--path", str(root), "--no-store")
    assert f"{c2}: shard 2/3, but {b1} is of 2 shards" in err
    err = expect_error("merge", str(b1), str(tmp_path), "--path", str(root), "--no-store")
    assert f"{tmp_path}: not a shard bundle" in err


def test_a_shard_of_another_commit_is_an_error_naming_it(tmp_path: Path) -> None:
    root = generated(tmp_path / "shop")
    b1 = shard(root, 1, 2, tmp_path)
    (root / "src/cart/core.py").write_text('"""Changed."""\n')
    git(root, "commit", "-qam", "second")
    b2 = shard(root, 2, 2, tmp_path)
    err = expect_error("merge", str(b1), str(b2), "--path", str(root), "--no-store")
    assert f"{b2}: commit " in err and f"but {b1} has " in err
    # both of the first commit, merged on the second: the checkout is not what they measured
    git(root, "checkout", "-q", "HEAD~1")
    b2 = shard(root, 2, 2, tmp_path)
    git(root, "checkout", "-q", "main")
    err = expect_error("merge", str(b1), str(b2), "--path", str(root), "--no-store")
    assert f"{b1}: measured at commit" in err and "this checkout is" in err


def test_a_workspace_is_refused_clearly(tmp_path: Path) -> None:
    root = generated(tmp_path / "ws", {**UV_ROOT, **MEMBER_A, **MEMBER_B})
    err = expect_error("run", str(root), "--shard", "1/2", "--bundle", str(tmp_path / "b"))
    assert "cannot shard a workspace run: its unit tests run in 2 pytest sessions" in err


def test_bad_shard_options_are_usage_errors(repo, tmp_path: Path) -> None:
    root, _ = repo
    for bad in ("3/2", "0/2", "x", "1/0"):
        err = expect_error("run", str(root), "--shard", bad)
        assert f"--shard {bad!r}" in err
    code, _, err = cli("run", str(root), "--shard", "1/2", "--json", str(tmp_path / "r.json"))
    assert code == 2 and "belong to a whole run or `maturity merge`" in err


def test_init_shards_writes_a_matrix_and_a_merge_job_that_pass_actionlint(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    code, _, err = cli("init", str(repo), "--install", INSTALL, "--shards", "3")
    assert code == 0, err
    files = [repo / QUALITY_FILE, repo / STAGING_FILE, repo / SHARDED_FILE]
    out = actionlint(*files)
    assert (out.returncode, out.stdout, out.stderr) == (0, "", "")
    flow = yaml.safe_load((repo / SHARDED_FILE).read_text())
    shard_job, merge_job = flow["jobs"]["shard"], flow["jobs"]["merge"]
    assert shard_job["strategy"]["matrix"]["shard"] == [1, 2, 3]
    run = next(s["run"] for s in shard_job["steps"] if "maturity run" in s.get("run", ""))
    assert '--shard "$SHARD/3"' in run and '--bundle "maturity-shard-$SHARD"' in run
    upload = next(s for s in shard_job["steps"] if s.get("uses", "").startswith("actions/upload"))
    assert upload["with"]["include-hidden-files"] is True  # the .coverage data file
    assert merge_job["needs"] == "shard"
    download = next(s for s in merge_job["steps"] if "download-artifact" in s.get("uses", ""))
    assert download["with"] == {"pattern": "maturity-shard-*", "path": "maturity-shards"}
    merge_run = next(s["run"] for s in merge_job["steps"] if "maturity merge" in s.get("run", ""))
    assert "maturity-shards/maturity-shard-*" in merge_run
    # the merge keeps the commit's facts: saved for pull requests' --changed-since
    names = [s.get("uses", s.get("run", "")) for s in merge_job["steps"]]
    save = next(s for s in merge_job["steps"] if s.get("uses") == "actions/cache/save@v4")
    assert names.index("actions/cache/save@v4") > names.index(merge_run)
    assert save["with"]["path"] == ".maturity/cache/commits/${{ github.sha }}"
    # the pull request check stays, and takes its baseline from the sharded report
    quality = yaml.safe_load((repo / QUALITY_FILE).read_text())
    assert list(quality["jobs"]) == ["check"]
    fetch = next(
        s for s in quality["jobs"]["check"]["steps"] if "download-artifact" in s.get("uses", "")
    )
    assert fetch["with"]["workflow"] == "maturity-sharded.yml"
    code, _, err = cli(
        "init", str(tmp_path / "r"), "--install", INSTALL, "--shards", "1", "--force"
    )
    assert code == 2 and "--shards 1: give 2 or more" in err


def test_a_shard_keeps_to_its_jobs_budget(tmp_path: Path) -> None:
    """``run --shard K/N --jobs 1`` holds one CPU, over the configured two: its unit run
    is then one plain pytest process, not ``tests.workers`` xdist workers."""
    from maturity.bundle import read_bundle

    files = dict(REPO)
    files["pyproject.toml"] += "\n[tool.maturity]\njobs = 2\n\n[tool.maturity.tests]\nworkers = 2\n"
    repo = generated(tmp_path / "repo", files)
    one = read_bundle(shard(repo, 1, 2, tmp_path, "--jobs", "1")).facts["tests"]
    two = read_bundle(shard(repo, 2, 2, tmp_path)).facts["tests"]
    assert "-n" not in (one.command or "").split()
    assert (two.command or "").endswith("-n 2")  # the configured budget, without --jobs
