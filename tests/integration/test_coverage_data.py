"""Coverage read from the data file with coverage.py's API, under the target's own config."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from maturity.model import Status
from tests.helpers import measure, result, write_tree

pytestmark = pytest.mark.slow

# Syntax that Python 3.11 cannot parse (PEP 695), as in a real repository's test files
# that are collected only on newer interpreters.
NEWER_SYNTAX = "type Pair[T] = tuple[T, T]\n\n\ndef test_pair():\n    assert Pair\n"

OWN_CONFIG = {
    "pyproject.toml": """
        [tool.pytest.ini_options]
        pythonpath = ["src"]
        [tool.coverage.run]
        source_pkgs = ["pkg", "tests"]
        branch = true
        [tool.coverage.report]
        omit = ["*/_generated.py"]
        exclude_also = ["if DEBUG:"]
        """,
    "src/pkg/__init__.py": '"""Pkg."""\n',
    "src/pkg/calc.py": '''
        """Calc."""
        DEBUG = False


        def sign(n: int) -> int:
            """-1, 0 or 1."""
            if DEBUG:
                print(n)
            if n < 0:
                return -1
            if n == 0:
                return 0
            return 1
        ''',
    "src/pkg/_generated.py": "X = 1\nY = 2\n",
    "src/other/__init__.py": '"""Other."""\n\n\ndef one() -> int:\n    """One."""\n    return 1\n',
    "tests/__init__.py": "",
    "tests/conftest.py": """
        import sys

        collect_ignore = ["test_newer.py"] if sys.version_info < (3, 12) else []
        """,
    "tests/test_calc.py": """
        from pkg.calc import sign
        from other import one


        def test_sign():
            assert sign(-5) == -1
            assert sign(3) == one()
        """,
    "tests/test_newer.py": NEWER_SYNTAX,
}


def run_printed(root: Path, command: str) -> str:
    """Run a command the report printed (``coverage report …``) with the raw tool."""
    argv = shlex.split(command)
    assert argv[0] == "coverage", command
    out = subprocess.run(
        [sys.executable, "-m", "coverage", *argv[1:]],
        cwd=root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    return out.stdout


def total(report: str) -> str:
    match = re.search(r"^TOTAL\s.*?(\d+\.\d)%$", report, re.M)
    assert match, report
    return match.group(1) + "%"


def test_a_repos_own_coverage_config_applies_and_an_unparseable_test_file_breaks_nothing(
    repo: Path,
) -> None:
    write_tree(repo, OWN_CONFIG)
    facts, project = measure(repo, "tests")
    cov = facts.coverage
    assert cov is not None and cov.error is None
    data_file = repo / str(cov.data_file)
    # the raw export of the whole data file fails on the test file 3.11 cannot parse …
    # (-o to a file of ours: coverage removes its output file when the export fails)
    exported = subprocess.run(
        [sys.executable, "-m", "coverage", "json", f"--data-file={data_file}",
         "-o", str(repo / "export.json")],
        cwd=repo, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert exported.returncode == 1
    assert "Couldn't parse" in exported.stdout + exported.stderr
    # … while each component is measured, under the repo's omit and exclusions, and the
    # printed check-by-hand command gives the same figure
    res = result(facts, project, "pkg", "dev.coverage")
    assert res.status is Status.PASS
    assert set(cov.files) == {"src/pkg/__init__.py", "src/pkg/calc.py", "src/other/__init__.py"}
    assert "src/pkg/_generated.py" not in cov.files  # [report] omit
    calc = cov.files["src/pkg/calc.py"]
    assert calc.branches > 0  # [run] branch = true
    assert {7, 8}.isdisjoint(calc.missing_lines)  # `if DEBUG:` and its body are excluded
    assert res.display == total(run_printed(repo, res.commands[0]))
    other = result(facts, project, "other", "dev.coverage")
    assert other.display == total(run_printed(repo, other.commands[0])) == "100.0%"
    assert not (data_file.parent / "coverage.json").exists()  # no export was written


def test_a_component_file_coverage_cannot_parse_is_that_components_error_only(
    repo: Path,
) -> None:
    files = {k: v for k, v in OWN_CONFIG.items() if k != "tests/test_newer.py"}
    files["src/pkg/newer.py"] = "type Pair[T] = tuple[T, T]\n"
    write_tree(repo, files)
    facts, project = measure(repo, "tests")
    res = result(facts, project, "pkg", "dev.coverage")
    assert res.status is Status.ERROR
    assert res.summary.startswith("coverage cannot analyse 1 file: src/pkg/newer.py: ")
    assert "Couldn't parse" in res.summary
    assert result(facts, project, "other", "dev.coverage").status is Status.PASS
    assert result(facts, project, "pkg", "dev.unit_tests").status is Status.PASS


def test_nested_omit_keeps_the_repos_own_omit_in_the_printed_command(repo: Path) -> None:
    files = dict(OWN_CONFIG)
    files["pyproject.toml"] += """
        [tool.maturity.components.pkg]
        [tool.maturity.components.inner]
        path = "src/pkg/inner"
        [tool.maturity.components.other]
        """
    files["src/pkg/inner/__init__.py"] = '"""Inner."""\n\n\ndef two() -> int:\n    return 2\n'
    files["src/pkg/inner/_generated.py"] = "Z = 3\n"
    write_tree(repo, files)
    facts, project = measure(repo, "tests")
    res = result(facts, project, "pkg", "dev.coverage")
    assert "--omit='src/pkg/inner/*,*/_generated.py'" in res.commands[0]
    printed = run_printed(repo, res.commands[0])
    assert "_generated" not in printed and "inner" not in printed
    assert res.display == total(printed)
    inner = result(facts, project, "inner", "dev.coverage")
    assert inner.display == total(run_printed(repo, inner.commands[0])) == "0.0%"  # not imported


def test_a_static_context_in_the_repos_config_keeps_tests_attributed(repo: Path) -> None:
    files = dict(OWN_CONFIG)
    files["pyproject.toml"] = files["pyproject.toml"].replace(
        "branch = true", 'branch = true\ncontext = "ci"'
    )
    write_tree(repo, files)
    facts, project = measure(repo, "tests")
    assert facts.coverage is not None
    assert facts.coverage.files["src/pkg/calc.py"].tests == {"tests/test_calc.py::test_sign"}
    res = result(facts, project, "pkg", "dev.unit_tests")
    assert (res.status, res.display, res.details["by"]) == (
        Status.PASS,
        "1 passed",
        {"coverage contexts": 1},
    )


def test_the_reader_gives_the_same_answer_by_every_path_and_falls_back_on_a_new_schema(
    repo: Path, tmp_path: Path
) -> None:
    """Tests per file come from the plugin's record; a data file with per-test contexts
    (what the plugin's fallback writes) gives the same through either query path."""
    import importlib.util
    import os
    import shutil
    import sqlite3

    from maturity.collectors.coverage_data import READER

    spec = importlib.util.spec_from_file_location("reader", READER)
    assert spec is not None and spec.loader is not None
    reader = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reader)

    write_tree(repo, OWN_CONFIG)
    facts, _ = measure(repo, "tests")
    assert facts.coverage is not None
    data_file = str(repo / str(facts.coverage.data_file))
    recorded = str(Path(data_file).parent / "pytest.json")
    roots = ["src/pkg", "src/other"]

    # the suite's one test under a context named after it, as the fallback labels it
    with_contexts = tmp_path / "contexts.coverage"
    test = "tests/test_calc.py::test_sign"
    subprocess.run(
        [sys.executable, "-m", "coverage", "run", f"--context={test}",
         f"--data-file={with_contexts}", "-m", "pytest", "-q", "-p", "no:cacheprovider", test],
        cwd=repo, check=True, capture_output=True,
    )  # fmt: skip

    def figures(payload: dict) -> dict:  # file names come absolute
        names = payload["contexts"]
        return {
            os.path.relpath(f, os.path.realpath(repo)): (v["statements"], v["covered"], v["branches"], v["covered_branches"],
                sorted(names[i] for i in v["tests"]))
            for f, v in payload["files"].items()
        }  # fmt: skip

    cwd = os.getcwd()
    os.chdir(repo)  # the reader runs from the repository root
    try:
        plugin = figures(reader.read(data_file, roots, per_test=recorded))
        assert plugin["src/pkg/calc.py"][4] == [test]
        assert plugin["src/other/__init__.py"][4] == [test]
        fast = figures(reader.read(str(with_contexts), roots))
        slow = figures(reader.read(str(with_contexts), roots, fast=False))
        assert fast == slow
        assert fast["src/pkg/calc.py"] == plugin["src/pkg/calc.py"]
        newer = tmp_path / "newer.coverage"
        shutil.copy(with_contexts, newer)
        with sqlite3.connect(newer) as con:
            con.execute("UPDATE coverage_schema SET version = 99")
        assert reader._contexts_by_file(str(newer)) is None  # unknown schema: the API path
        assert reader._contexts_by_file(str(tmp_path / "missing.coverage")) is None
    finally:
        os.chdir(cwd)


def test_a_component_the_repo_omits_from_coverage_says_so(repo: Path) -> None:
    files = dict(OWN_CONFIG)
    files["pyproject.toml"] = files["pyproject.toml"].replace(
        'omit = ["*/_generated.py"]', 'omit = ["*/_generated.py", "src/vendored/*"]'
    )
    files["src/vendored/__init__.py"] = "def lib() -> int:\n    return 1\n"
    write_tree(repo, files)
    facts, project = measure(repo, "tests")
    res = result(facts, project, "vendored", "dev.coverage")
    assert res.status is Status.ERROR
    assert res.summary == (
        "coverage measured no statements under src/vendored/: the repository's [report] omit"
        " (*/_generated.py, src/vendored/*) leaves out 1 file of it"
    )
    assert [e.file for e in res.evidence] == ["src/vendored/__init__.py"]


def test_files_the_repo_omits_from_coverage_still_attribute_their_tests(repo: Path) -> None:
    files = dict(OWN_CONFIG)
    files["pyproject.toml"] = files["pyproject.toml"].replace(
        'omit = ["*/_generated.py"]', 'omit = ["*/_generated.py", "src/vendored/*"]'
    )
    files["src/vendored/__init__.py"] = "def lib() -> int:\n    return 1\n"
    files["tests/test_vendored.py"] = (
        "from vendored import lib\n\n\ndef test_lib():\n    assert lib()\n"
    )
    write_tree(repo, files)
    facts, project = measure(repo, "tests")
    assert facts.coverage is not None
    assert facts.coverage.omitted == {
        "src/pkg/_generated.py": set(),  # never imported
        "src/vendored/__init__.py": {"tests/test_vendored.py::test_lib"},
    }
    res = result(facts, project, "vendored", "dev.unit_tests")
    assert (res.status, res.display, res.summary) == (
        Status.PASS,
        "1 passed",
        "all 1 test that ran pass (by coverage contexts)",
    )


def test_templates_compiled_to_code_are_skipped_as_coverage_report_skips_them(repo: Path) -> None:
    # Jinja2 compiles a template to a code object named after the .html file: coverage
    # records it, and `coverage report` skips it because it does not look like Python
    write_tree(
        repo,
        {
            "src/pages/__init__.py": '"""Pages."""\n',
            "src/pages/render.py": '''
                """Render."""
                from pathlib import Path

                import jinja2

                ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent))


                def page(name: str) -> str:
                    """The page."""
                    return ENV.get_template("page.html").render(name=name)
                ''',
            "src/pages/page.html": "<p>Hello · {{ name }}</p>\n",
            "tests/unit/test_render.py": """
                from pages.render import page


                def test_page():
                    assert "Ada" in page("Ada")
                """,
        },
    )
    facts, project = measure(repo, "tests")
    assert facts.coverage is not None
    assert facts.coverage.file_errors == {}
    res = result(facts, project, "pages", "dev.coverage")
    assert res.status is Status.PASS
    assert res.display == total(run_printed(repo, res.commands[0]))


PER_TEST = {
    "pyproject.toml": """
        [tool.pytest.ini_options]
        pythonpath = ["src"]
        [tool.coverage.run]
        branch = true
        """,
    "src/alpha/__init__.py": '''
        """Alpha."""


        def pick(n: int) -> str:
            """Even or odd."""
            if n % 2:
                return "odd"
            return "even"
        ''',
    "src/beta/__init__.py": '''
        """Beta."""
        import threading

        SEEN: list[int] = []


        def _record(n: int) -> None:
            SEEN.append(n)


        def later(n: int) -> threading.Thread:
            """Record n from another thread, started now, joined by the caller."""
            thread = threading.Thread(target=_record, args=(n,))
            thread.start()
            return thread


        def twice(n: int) -> int:
            """n doubled."""
            return 2 * n
        ''',
    "tests/test_alpha.py": """
        from alpha import pick


        def test_odd():
            assert pick(3) == "odd"


        def test_nothing():
            assert True
        """,
    "tests/test_beta.py": """
        import pytest

        from alpha import pick
        from beta import later, twice


        @pytest.fixture
        def thread():
            started = later(1)
            yield started
            started.join()


        def test_thread(thread):
            assert twice(2) == 4


        def test_both():
            assert (pick(2), twice(1)) == ("even", 2)
        """,
}


def test_each_test_is_credited_with_the_files_it_ran_and_the_data_equals_a_plain_run(
    repo: Path, tmp_path: Path
) -> None:
    """Per-test data read at test boundaries (fixtures, threads and branch data included)
    leaves coverage.py's data file as a plain ``coverage run`` writes it."""
    write_tree(repo, PER_TEST)
    facts, _ = measure(repo, "tests")
    cov = facts.coverage
    assert cov is not None and cov.error is None, cov
    assert cov.files["src/alpha/__init__.py"].tests == {
        "tests/test_alpha.py::test_odd",
        "tests/test_beta.py::test_both",
    }
    assert cov.files["src/beta/__init__.py"].tests == {
        "tests/test_beta.py::test_thread",
        "tests/test_beta.py::test_both",
    }
    ours = run_printed(repo, f"coverage report -m --data-file={cov.data_file}")
    raw_data = tmp_path / "raw.coverage"
    subprocess.run(
        [sys.executable, "-m", "coverage", "run", "--source=src/alpha,src/beta",
         f"--data-file={raw_data}", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=repo, check=True, capture_output=True,
    )  # fmt: skip
    raw = run_printed(repo, f"coverage report -m --data-file={raw_data}")
    assert ours == raw
    assert "Branch" in raw and "TOTAL" in raw
