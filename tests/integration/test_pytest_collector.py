"""The single pytest + coverage run on real fixture repositories."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from maturity.model import Status
from tests.helpers import measure, result, write_tree

pytestmark = pytest.mark.slow

SHOP = {
    "src/shop/__init__.py": '"""Shop."""\nVERSION = "1"\n',
    "src/shop/cart.py": '''
        """Cart."""


        def total(prices: list[int]) -> int:
            """Sum of prices."""
            result = 0
            for p in prices:
                result += p
            return result


        def count(prices: list[int]) -> int:
            """How many."""
            return len(prices)
        ''',
    "src/shop/untested.py": '''
        """Nobody imports this module."""


        def a() -> int:
            """A."""
            x = 1
            y = 2
            return x + y


        def b() -> int:
            """B."""
            return 2
        ''',
    "tests/unit/test_cart.py": """
        from shop.cart import count, total


        def test_total():
            assert total([1, 2]) == 3


        def test_count():
            assert count([1]) == 1
        """,
}


def raw_total(root: Path, include: str) -> str:
    """The TOTAL percentage printed by the raw ``coverage report``."""
    out = subprocess.run(
        [
            sys.executable, "-m", "coverage", "report",
            "--data-file=.maturity/run/.coverage", f"--include={include}", "--precision=1",
        ],
        cwd=root, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    match = re.search(r"^TOTAL\s+.*?(\d+\.\d)%$", out, re.M)
    assert match, out
    return match.group(1) + "%"


def test_coverage_is_over_all_files_including_unimported_ones(repo: Path) -> None:
    write_tree(repo, SHOP)
    facts, project = measure(repo, "tests")
    res = result(facts, project, "shop", "dev.coverage")
    files = facts.coverage.files if facts.coverage else {}
    assert files["src/shop/untested.py"].covered == 0  # measured with --source, so present
    assert files["src/shop/__init__.py"].covered == files["src/shop/__init__.py"].statements
    # 1 + 7 covered of 1 + 7 + 6: the package's 100% __init__ never stands for it
    assert (res.details["covered"], res.details["statements"]) == (8, 14)
    assert res.display == "57.1%" == raw_total(repo, "src/shop/*")
    assert res.status is Status.FAIL
    assert res.evidence[0].file == "src/shop/untested.py"


def test_unit_tests_pass_and_are_attributed_by_coverage_contexts(repo: Path) -> None:
    write_tree(repo, SHOP)
    facts, project = measure(repo, "tests")
    res = result(facts, project, "shop", "dev.unit_tests")
    assert res.status is Status.PASS
    assert res.display == "2 passed"
    assert res.details["method"] == "coverage contexts"


def test_critical_path_under_its_bar_fails_while_total_passes(repo: Path) -> None:
    write_tree(
        repo,
        {
            "src/vault/__init__.py": "",
            "src/vault/auth.py": """
                def login(user: str, password: str) -> bool:
                    if not user:
                        return False
                    if password == "":
                        return False
                    if len(password) < 8:
                        return False
                    return True
                """,
            "src/vault/helpers.py": "\n".join(f"V{i} = {i}" for i in range(30)) + "\n",
            "tests/unit/test_auth.py": """
                from vault import helpers
                from vault.auth import login


                def test_login():
                    assert helpers.V1 == 1
                    assert login("u", "long-enough-password")
                """,
        },
    )
    facts, project = measure(repo, "tests")
    res = result(facts, project, "vault", "dev.coverage")
    cats = res.details["categories"]
    assert cats["critical_paths"]["files"] == ["src/vault/auth.py"]
    assert cats["critical_paths"]["met"] is False
    assert cats["utilities"]["met"] is True
    assert res.value is not None and float(res.value) >= 70
    assert res.status is Status.FAIL
    assert "critical_paths" in res.summary


def test_failing_test_fails_with_its_node_id_as_evidence(repo: Path) -> None:
    files = dict(SHOP)
    files["tests/unit/test_cart.py"] += """

        def test_wrong():
            assert total([2, 2]) == 5
        """
    write_tree(repo, files)
    facts, project = measure(repo, "tests")
    res = result(facts, project, "shop", "dev.unit_tests")
    assert res.status is Status.FAIL
    assert res.display == "2 passed, 1 failed"
    assert res.evidence[0].file == "tests/unit/test_cart.py"
    assert res.evidence[0].line == 12  # the test's def line
    assert "test_wrong" in res.evidence[0].message
    assert "assert 4 == 5" in res.evidence[0].message


def test_marker_and_path_attribution_and_component_without_tests(repo: Path) -> None:
    write_tree(
        repo,
        {
            "pyproject.toml": """
                [tool.pytest.ini_options]
                pythonpath = ["src"]
                markers = ["alpha: alpha tests"]

                [tool.maturity.components.alpha]
                [tool.maturity.components.beta]
                tests = ["tests/unit/beta"]
                [tool.maturity.components.gamma]
                """,
            "src/alpha/__init__.py": "def one() -> int:\n    return 1\n",
            "src/beta/__init__.py": "def two() -> int:\n    return 2\n",
            "src/gamma/__init__.py": "def three() -> int:\n    return 3\n",
            "tests/unit/test_alpha.py": """
                import pytest
                from alpha import one
                from beta import two

                pytestmark = pytest.mark.alpha


                def test_one():
                    assert one() + two() == 3
                """,
            "tests/unit/beta/test_beta.py": """
                from beta import two


                def test_two():
                    assert two() == 2


                def test_two_again():
                    assert two() != 3
                """,
        },
    )
    facts, project = measure(repo, "tests")
    alpha = result(facts, project, "alpha", "dev.unit_tests")
    beta = result(facts, project, "beta", "dev.unit_tests")
    gamma = result(facts, project, "gamma", "dev.unit_tests")
    assert (alpha.details["method"], alpha.display) == ("marker", "1 passed")
    assert (beta.details["method"], beta.display) == ("tests path", "2 passed")
    assert alpha.commands == ["python -m pytest tests/unit -m alpha"]
    assert gamma.status is Status.FAIL
    assert gamma.summary == "no unit tests found for this component (by coverage contexts)"


def test_import_error_during_collection_is_an_error(repo: Path) -> None:
    files = dict(SHOP)
    files["tests/unit/test_broken.py"] = "import shop.does_not_exist\n"
    write_tree(repo, files)
    facts, project = measure(repo, "tests")
    res = result(facts, project, "shop", "dev.unit_tests")
    assert res.status is Status.ERROR
    assert "tests/unit/test_broken.py" in res.summary
    assert "ModuleNotFoundError" in res.summary


def test_zero_tests_collected_is_an_error_not_zero_percent(repo: Path) -> None:
    files = {k: v for k, v in SHOP.items() if not k.startswith("tests/")}
    files["tests/unit/test_nothing.py"] = "X = 1\n"
    write_tree(repo, files)
    facts, project = measure(repo, "tests")
    for crit in ("dev.unit_tests", "dev.coverage"):
        res = result(facts, project, "shop", crit)
        assert res.status is Status.ERROR
        assert "collected no tests in tests/unit" in res.summary


def test_interpreter_without_pytest_is_an_error(repo: Path, tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "bare")], check=True
    )
    files = dict(SHOP)
    files["pyproject.toml"] = f"""
        [tool.maturity]
        python = "{tmp_path / "bare" / "bin" / "python"}"
        """
    write_tree(repo, files)
    from maturity.collectors.base import RunContext
    from maturity.project import load_project
    from maturity.runner import collect, resolve_interpreter

    project = load_project(repo)
    ctx = RunContext(project, resolve_interpreter(project), repo / ".maturity/run")
    facts = collect(ctx, ["tests"])
    res = result(facts, project, "shop", "dev.coverage")
    assert res.status is Status.ERROR
    assert "pytest is not installed in the target interpreter" in res.summary
    assert str(tmp_path / "bare") in res.summary


def test_timeout_is_an_error(repo: Path) -> None:
    files = dict(SHOP)
    files["pyproject.toml"] = (
        '[tool.maturity]\ntimeout = 2\n[tool.pytest.ini_options]\npythonpath = ["src"]\n'
    )
    files["tests/unit/test_slow.py"] = "import time\n\n\ndef test_slow():\n    time.sleep(30)\n"
    write_tree(repo, files)
    facts, project = measure(repo, "tests")
    res = result(facts, project, "shop", "dev.unit_tests")
    assert res.status is Status.ERROR
    assert res.summary == "the test run: pytest timed out after 2s"


def test_stale_coverage_data_is_never_reused(repo: Path) -> None:
    write_tree(repo, SHOP)
    measure(repo, "tests")
    assert (repo / ".maturity/run/.coverage").exists()
    (repo / "tests/unit/test_cart.py").write_text("import shop.nope\n")
    (repo / "tests/unit/test_other.py").write_text("X = 1\n")
    facts, project = measure(repo, "tests")
    res = result(facts, project, "shop", "dev.coverage")
    assert res.status is Status.ERROR
    assert "could not be collected" in res.summary


def test_target_with_parallel_coverage_config_is_combined(repo: Path) -> None:
    files = dict(SHOP)
    files["pyproject.toml"] = """
        [tool.pytest.ini_options]
        pythonpath = ["src"]
        [tool.coverage.run]
        parallel = true
        """
    write_tree(repo, files)
    measure(repo, "tests")  # a first run leaves nothing behind that the second could reuse
    facts, project = measure(repo, "tests")
    res = result(facts, project, "shop", "dev.coverage")
    assert res.display == "57.1%" == raw_total(repo, "src/shop/*")
    assert list((repo / ".maturity/run").glob(".coverage.*")) == []


def test_pytest_crash_on_a_broken_conftest_is_an_error(repo: Path) -> None:
    files = dict(SHOP)
    files["conftest.py"] = "raise RuntimeError('conftest exploded')\n"
    write_tree(repo, files)
    facts, project = measure(repo, "tests")
    res = result(facts, project, "shop", "dev.unit_tests")
    assert res.status is Status.ERROR
    assert res.summary.startswith("the test run: pytest exited 4 before reporting:")
    assert "conftest exploded" in res.summary
    assert result(facts, project, "shop", "dev.coverage").status is Status.ERROR


def test_a_target_running_pytest_cov_in_its_addopts_is_measured_once(repo: Path) -> None:
    files = dict(SHOP)
    files["pyproject.toml"] = """
        [tool.pytest.ini_options]
        pythonpath = ["src"]
        addopts = "--cov=src --cov-report=term --cov-fail-under=100"
        """
    write_tree(repo, files)
    facts, project = measure(repo, "tests")
    assert facts.tests is not None
    assert importlib.util.find_spec("pytest_cov") is not None  # installed here, and asked for
    res = result(facts, project, "shop", "dev.coverage")
    assert res.display == "57.1%" == raw_total(repo, "src/shop/*")
    # pytest-cov stood down: its fail-under did not turn the passing tests into a failure
    assert facts.tests.exit_status == 0
    assert result(facts, project, "shop", "dev.unit_tests").status is Status.PASS
