"""Every test accounted for, and an incomplete session never passes (real pytest runs)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from maturity.model import Status
from tests.helpers import cli, measure, result, write_tree

pytestmark = pytest.mark.slow

IMPORT_ONLY = {
    "src/pkg/__init__.py": '"""Pkg."""\n',
    # code that runs only at import time: no test's context ever touches these lines
    "src/pkg/consts.py": '"""Constants."""\nVALUES = (1, 2, 3)\nTABLE = {v: v * 2 for v in VALUES}\n',
    "src/pkg/calc.py": '"""Calc."""\n\n\ndef double(n: int) -> int:\n    """Twice n."""\n    return 2 * n\n',
    "tests/unit/helpers.py": "from pkg.calc import double\n\nFOUR = double(2)\n",
    "tests/unit/test_consts.py": """
        from pkg.consts import TABLE


        def test_table():
            assert TABLE[2] == 4
        """,
    "tests/unit/test_calc.py": """
        import pytest

        from pkg import calc


        def test_double():
            assert calc.double(3) == 6


        @pytest.mark.skip(reason="not yet")
        def test_later():
            assert calc.double(1) == 2
        """,
    "tests/unit/test_via_helper.py": """
        import pytest

        from helpers import FOUR


        @pytest.mark.skipif(FOUR == 4, reason="skipped on purpose")
        def test_helper():
            assert FOUR
        """,
    "tests/unit/test_stdlib.py": "def test_math():\n    assert 1 + 1 == 2\n",
}


def test_tests_touching_no_component_line_are_attributed_by_their_imports(repo: Path) -> None:
    write_tree(repo, IMPORT_ONLY)
    facts, project = measure(repo, "tests")
    assert facts.tests is not None
    assert facts.tests.imports == {
        "tests/unit/test_calc.py": ["src/pkg/__init__.py", "src/pkg/calc.py"],
        "tests/unit/test_consts.py": ["src/pkg/consts.py"],
        "tests/unit/test_via_helper.py": ["src/pkg/calc.py"],  # through helpers.py
    }
    res = result(facts, project, "pkg", "dev.unit_tests")
    assert (res.status, res.display) == (Status.PASS, "2 passed, 2 skipped")
    assert res.details["by"] == {"coverage contexts": 1, "imports": 3}
    assert res.summary == "all 2 tests that ran pass (1 by coverage contexts, 3 by imports)"


def test_the_report_accounts_for_every_test_on_every_surface(tmp_path: Path) -> None:
    pyproject = '[tool.pytest.ini_options]\npythonpath = ["src"]\n'
    repo = write_tree(tmp_path / "r", {"pyproject.toml": pyproject, **IMPORT_ONLY})
    json_out, md_out = tmp_path / "r.json", tmp_path / "r.md"
    code, out, _ = cli("run", str(repo), "--json", str(json_out), "--markdown", str(md_out))
    assert code == 0
    account = json.loads(json_out.read_text())["tests"]
    (session,) = account.pop("sessions")  # the src/<pkg> layout: one session, from the root
    assert session == {
        "project": ".",
        "paths": ["tests/unit"],
        "rootdir": ".",
        "config_file": "pyproject.toml",
        "interpreter": sys.executable,
        "command": "python -m pytest tests/unit",
        "exit_status": 0,
        "collected": 5,
        "outcomes": {"passed": 3, "skipped": 2},
        "collection_errors": 0,
        "data_file": session["data_file"],
        "error": None,
    }
    assert session["data_file"].endswith("/.coverage")
    durations = account.pop("durations")  # each test that ran or was skipped, in seconds
    assert len(durations) == 5 and all(seconds >= 0 for seconds in durations.values())
    assert account == {
        "collected": 5,
        "ran": 3,
        "outcomes": {"passed": 3, "skipped": 2},
        "attributed": {"marker": 0, "tests path": 0, "coverage contexts": 1, "imports": 3},
        "unattributed_count": 1,
        "unattributed": ["tests/unit/test_stdlib.py::test_math"],
        "collection_errors": 0,
        "error": None,
    }
    line = (
        "5 tests collected, 3 ran (3 passed, 2 skipped); attributed by marker 0, tests path 0,"
        " coverage contexts 1, imports 3; 1 attributed to no component"
    )
    assert f"tests: {line}" in " ".join(out.split())
    assert "test_stdlib.py::test_math" not in out  # the list is for --verbose and JSON
    assert f"_Tests: {line}._" in md_out.read_text()
    code, out, _ = cli("run", str(repo), "--verbose", "--no-store")
    assert "attributed to no component: tests/unit/test_stdlib.py::test_math" in out


SHOP = {
    "src/shop/__init__.py": '"""Shop."""\n\n\ndef total(p: list[int]) -> int:\n    """Sum."""\n    return sum(p)\n',
    "tests/unit/test_shop.py": """
        from shop import total


        def test_one():
            assert total([1]) == 1


        def test_two():
            assert total([1, 1]) == 2
        """,
}
INTERRUPTIONS = {
    "pytest.exit in a test": (
        {"tests/unit/test_a_exit.py": "import pytest\n\n\ndef test_exit():\n"
         "    pytest.exit('enough', returncode=0)\n"},
        "pytest.exit() was called: enough",
    ),
    "KeyboardInterrupt in a test": (
        {"tests/unit/test_a_kbd.py": "def test_kbd():\n    raise KeyboardInterrupt\n"},
        "KeyboardInterrupt",
    ),
    "pytest.exit in an autouse fixture": (
        {"tests/unit/conftest.py": "import pytest\n\n\n@pytest.fixture(autouse=True)\n"
         "def stop():\n    pytest.exit('from a fixture', returncode=0)\n"},
        "pytest.exit() was called: from a fixture",
    ),
    "--collect-only in addopts": (
        {"pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["src"]\n'
         'addopts = "--collect-only"\n'},
        "pytest only collected the tests",
    ),
    "--co in addopts": (
        {"pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["src"]\naddopts = "--co"\n'},
        "pytest only collected the tests",
    ),
    "-x stopping at a failure": (
        {"pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["src"]\naddopts = "-x"\n',
         "tests/unit/test_a_fails.py": "def test_fails():\n    assert False\n"},
        "pytest stopped early",
    ),
    "internal error": (
        {"tests/unit/conftest.py": "def pytest_runtest_logreport(report):\n"
         "    raise RuntimeError('plugin bug')\n"},
        "pytest internal error (exit 3)",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(INTERRUPTIONS))
def test_an_incomplete_session_is_an_error_never_a_pass(repo: Path, case: str) -> None:
    extra, reason = INTERRUPTIONS[case]
    write_tree(repo, {**SHOP, **extra})
    facts, project = measure(repo, "tests")
    for criterion in ("dev.unit_tests", "dev.coverage"):
        res = result(facts, project, "shop", criterion)
        assert res.status is Status.ERROR, (criterion, res.summary)
        assert reason in res.summary, res.summary


def test_deselected_tests_of_a_component_never_count_as_passed(repo: Path) -> None:
    files = dict(SHOP)
    files["pyproject.toml"] = (
        '[tool.pytest.ini_options]\npythonpath = ["src"]\nmarkers = ["slow"]\n'
        "addopts = \"-m 'not slow'\"\n"
    )
    files["tests/unit/test_slow.py"] = (
        "import pytest\n\nfrom shop import total\n\n\n@pytest.mark.slow\n"
        "def test_big():\n    assert total(list(range(10))) == 45\n"
    )
    write_tree(repo, files)
    facts, project = measure(repo, "tests")
    res = result(facts, project, "shop", "dev.unit_tests")
    assert res.status is Status.ERROR
    assert res.summary.startswith("1 test of this component never ran (deselected")
    assert res.evidence[0].message.startswith("deselected: test_big")
    assert result(facts, project, "shop", "dev.coverage").status is Status.PASS


def test_all_tests_of_a_component_skipped_does_not_pass(repo: Path) -> None:
    files = dict(SHOP)
    files["tests/unit/test_shop.py"] = (
        "import pytest\n\nfrom shop import total\n\npytestmark = pytest.mark.skip('later')\n\n\n"
        "def test_one():\n    assert total([1]) == 1\n\n\ndef test_two():\n    assert total([]) == 0\n"
    )
    write_tree(repo, files)
    facts, project = measure(repo, "tests")
    res = result(facts, project, "shop", "dev.unit_tests")
    assert (res.status, res.display) == (Status.FAIL, "0 of 2 tests ran (2 skipped)")
    assert res.details["by"] == {"imports": 2}
