"""The unit run under pytest-xdist gives the figures and the per-test attribution of a
run without it (real pytest-xdist, installed in the test interpreter)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from maturity.collectors.base import RunContext
from maturity.facts import Facts, TestRunFacts
from maturity.project import load_project
from maturity.runner import collect
from tests.helpers import write_tree

pytestmark = pytest.mark.slow

pytest.importorskip("xdist")

FILES = {
    "pyproject.toml": """
        [tool.pytest.ini_options]
        pythonpath = ["src"]
        """,
    "src/calc/__init__.py": '"""Calc."""\n',
    "src/calc/ops.py": '''
        """Operations."""


        def add(a: int, b: int) -> int:
            """Sum."""
            return a + b


        def sign(n: int) -> str:
            """Sign in words."""
            if n < 0:
                return "negative"
            if n == 0:
                return "zero"
            return "positive"


        def never() -> int:
            """No test calls this."""
            return 0
        ''',
    "src/text/__init__.py": '"""Text."""\n',
    "src/text/words.py": '''
        """Words."""

        LOADED = True  # runs at import time: credited to no test


        def shout(word: str) -> str:
            """Upper case with a bang."""
            return word.upper() + "!"
        ''',
    "src/text/unused.py": '''
        """Nobody imports this module."""


        def nothing() -> None:
            """Nothing."""
        ''',
    "tests/test_calc.py": """
        import pytest

        from calc.ops import add, sign


        @pytest.mark.parametrize("n", range(12))
        def test_add(n):
            assert add(n, 1) == n + 1


        def test_sign_negative():
            assert sign(-1) == "negative"


        def test_sign_zero():
            assert sign(0) == "zero"


        @pytest.mark.skip(reason="not today")
        def test_skipped():
            assert add(1, 1) == 3
        """,
    "tests/test_text.py": """
        from text.words import shout


        def test_shout():
            assert shout("a") == "A!"


        def test_imports_only():
            assert True
        """,
}


def run(root: Path, jobs: int | None = None) -> TestRunFacts:
    ctx = RunContext(load_project(root), sys.executable, root / ".maturity" / "run")
    facts: Facts = collect(ctx, ["tests"], jobs=jobs)
    assert isinstance(facts.tests, TestRunFacts)
    return facts.tests


def figures(run: TestRunFacts) -> dict[str, object]:
    """Everything the criteria read from a test run, not where or how it ran."""
    assert run.coverage is not None and run.coverage.error is None
    return {
        "tests": sorted((t.nodeid, t.file, t.outcome, t.markers) for t in run.tests),
        "errors": run.collection_errors,
        "files": run.coverage.files,
        "omitted": run.coverage.omitted,
        "file_errors": run.coverage.file_errors,
    }


def test_xdist_workers_give_the_figures_and_attribution_of_one_process(tmp_path: Path) -> None:
    plain = write_tree(tmp_path / "plain", FILES)
    xdist = write_tree(tmp_path / "xdist", FILES)
    config = xdist / "pyproject.toml"
    config.write_text(config.read_text() + "\n[tool.maturity.tests]\nworkers = 2\n")

    one, two = run(plain, jobs=2), run(xdist, jobs=2)

    assert "-n" not in (one.command or "").split()
    assert (two.command or "").endswith("-n 2")
    reports = sorted(p.name for p in (xdist / ".maturity" / "run").glob("pytest.json.gw*"))
    assert reports == ["pytest.json.gw0", "pytest.json.gw1"]  # both workers measured
    assert figures(two) == figures(one)
    assert two.coverage is not None
    ops = two.coverage.files["src/calc/ops.py"]
    assert ops.tests == {f"tests/test_calc.py::test_add[{n}]" for n in range(12)} | {
        "tests/test_calc.py::test_sign_negative",
        "tests/test_calc.py::test_sign_zero",
    }
    assert ops.covered < ops.statements  # never() never ran
    assert two.coverage.files["src/text/words.py"].tests == {"tests/test_text.py::test_shout"}
    assert two.coverage.files["src/text/unused.py"].covered == 0
    assert {t.outcome for t in two.tests} == {"passed", "skipped"}


def test_a_budget_of_one_cpu_runs_one_plain_process(tmp_path: Path) -> None:
    repo = write_tree(tmp_path / "repo", FILES)
    config = repo / "pyproject.toml"
    config.write_text(config.read_text() + "\n[tool.maturity.tests]\nworkers = 'auto'\n")

    facts = run(repo, jobs=1)

    assert "-n" not in (facts.command or "").split()
    assert not list((repo / ".maturity" / "run").glob("pytest.json.gw*"))
    assert len(facts.tests) == 17
