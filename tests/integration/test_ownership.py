"""One owner per file: nested components, normalised paths, on real tool runs."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from maturity.model import Status
from tests.helpers import cli, measure, result, write_tree

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent

NESTED = {
    "pyproject.toml": """
        [tool.pytest.ini_options]
        pythonpath = ["src"]
        [tool.ruff.lint]
        select = ["F"]

        [tool.maturity.components.pkg]
        [tool.maturity.components.gen]
        path = "src/pkg/gen"
        """,
    "src/pkg/__init__.py": '"""Pkg."""\n',
    "src/pkg/core.py": '''
        """Core."""
        import os


        def run(text: str) -> int:
            """Evaluate."""
            return eval(text)


        def undocumented(n: int) -> str:
            return n


        def never() -> int:
            """Never called."""
            return 1
        ''',
    "src/pkg/gen/__init__.py": '"""Generated."""\n',
    "src/pkg/gen/made.py": '''
        """Made."""
        import sys
        import subprocess


        def shell(cmd: str) -> None:
            """Run."""
            subprocess.call(cmd, shell=True)


        def also_undocumented() -> int:
            return "x"


        def twice(n: int) -> int:
            """Twice."""
            return 2 * n
        ''',
    "tests/unit/test_core.py": """
        from pkg.core import run


        def test_run():
            assert run("1 + 1") == 2
        """,
    "tests/unit/test_made.py": """
        from pkg.gen.made import twice


        def test_twice():
            assert twice(2) == 4
        """,
}


def raw(argv: list[str], cwd: Path) -> str:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False).stdout


def raw_total(root: Path, command: str) -> tuple[int, str]:
    """(statements, percent) of TOTAL from a printed ``coverage report`` command."""
    argv = shlex.split(command)
    assert argv[:2] == ["coverage", "report"], command
    out = raw([sys.executable, "-m", "coverage", *argv[1:]], root)
    match = re.search(r"^TOTAL\s+(\d+)\s+\d+\s+(\d+\.\d)%$", out, re.M)
    assert match, out
    return int(match.group(1)), match.group(2) + "%"


def test_nested_component_files_are_counted_once_by_every_criterion(repo: Path) -> None:
    write_tree(repo, NESTED)
    facts, project = measure(repo, "tests", "ruff", "pyright", "bandit", "docs")
    pkg, gen = project.component("pkg"), project.component("gen")
    assert (pkg.nested, gen.nested) == (["src/pkg/gen"], [])
    assert facts.sources is not None
    assert facts.sources.files == {
        "pkg": ["src/pkg/__init__.py", "src/pkg/core.py"],
        "gen": ["src/pkg/gen/__init__.py", "src/pkg/gen/made.py"],
    }

    # coverage: each component's figure is the raw tool's over exactly its own files
    cov_pkg = result(facts, project, "pkg", "dev.coverage")
    cov_gen = result(facts, project, "gen", "dev.coverage")
    assert "--omit='src/pkg/gen/*'" in cov_pkg.commands[0]
    for res in (cov_pkg, cov_gen):
        statements, percent = raw_total(repo, res.commands[0])
        assert (res.details["statements"], res.display) == (statements, percent)
    data_file = cov_pkg.details["data_file"]
    whole, _ = raw_total(
        repo, f"coverage report --data-file={data_file} --include='src/pkg/*' --precision=1"
    )
    assert cov_pkg.details["statements"] + cov_gen.details["statements"] == whole

    # tests by coverage context: test_made ran only gen's code
    unit_pkg = result(facts, project, "pkg", "dev.unit_tests")
    unit_gen = result(facts, project, "gen", "dev.unit_tests")
    assert (unit_pkg.display, unit_gen.display) == ("1 passed", "1 passed")

    # ruff, pyright, bandit: a finding fails the component that owns its file, only it
    for criterion, tool in (("dev.ruff", "ruff"), ("dev.pyright", "pyright")):
        res_pkg = result(facts, project, "pkg", criterion)
        res_gen = result(facts, project, "gen", criterion)
        assert {e.file for e in res_pkg.evidence} == {"src/pkg/core.py"}, tool
        assert {e.file for e in res_gen.evidence} == {"src/pkg/gen/made.py"}, tool
    ruff_gen = json.loads(raw([str(BIN / "ruff"), "check", "--output-format=json", gen.path], repo))
    assert result(facts, project, "gen", "dev.ruff").value == len(ruff_gen) == 1
    ruff_all = json.loads(raw([str(BIN / "ruff"), "check", "--output-format=json", pkg.path], repo))
    assert result(facts, project, "pkg", "dev.ruff").value == len(ruff_all) - len(ruff_gen) == 1
    bandit_pkg = result(facts, project, "pkg", "dev.security_scan")
    bandit_gen = result(facts, project, "gen", "dev.security_scan")
    assert (bandit_pkg.details["medium"], bandit_pkg.details["high"]) == (1, 0)  # eval: B307
    assert (bandit_gen.details["medium"], bandit_gen.details["high"]) == (0, 1)  # shell: B602

    # documentation: symbols, modules and lines of gen are gen's
    docs_pkg = result(facts, project, "pkg", "dev.documentation")
    docs_gen = result(facts, project, "gen", "dev.documentation")
    assert (docs_pkg.details["public"], docs_pkg.details["modules"]) == (3, 2)
    assert (docs_gen.details["public"], docs_gen.details["modules"]) == (3, 2)
    assert [e.message for e in docs_gen.evidence if e.line] == [
        "function also_undocumented has no docstring"
    ]


def test_components_lists_the_nesting_under_a_header(repo: Path) -> None:
    write_tree(repo, NESTED)
    code, out, _ = cli("components", str(repo))
    assert code == 0
    rows = [line.split() for line in out.splitlines()]
    assert rows == [
        ["COMPONENT", "PATH", "PROJECT", "TESTS", "STAGE", "LABEL", "INSIDE"],
        ["pkg", "src/pkg", ".", "-", "development", "component:pkg", "-"],
        ["gen", "src/pkg/gen", ".", "-", "development", "component:gen", "pkg"],
    ]


BETA = {
    "pyproject.toml": """
        [tool.pytest.ini_options]
        pythonpath = ["src"]

        [tool.maturity.components.beta]
        path = "PATH"
        waivers = [{ criterion = "dev.coverage", justification = "j", approver = "a", expires = 2099-01-01 }]
        """,
    "src/beta/__init__.py": '"""Beta."""\n',
    "src/beta/shell.py": '''
        """Shell."""
        import subprocess


        def run(cmd: str) -> int:
            """Run a command."""
            return subprocess.call(cmd, shell=True)
        ''',
    "tests/unit/test_beta.py": "import beta\n\n\ndef test_beta():\n    assert beta\n",
}


@pytest.mark.parametrize("written", ["./src/beta", "src//beta", "src/beta/", "src/./beta"])
def test_a_path_written_another_way_is_the_same_directory(tmp_path: Path, written: str) -> None:
    files = dict(BETA)
    files["pyproject.toml"] = files["pyproject.toml"].replace("PATH", written)
    repo = write_tree(tmp_path / "r", files)
    code, _, err = cli("check", str(repo), "--require", "development", "--no-store")
    assert code == 1  # the HIGH bandit finding fails it, whatever the spelling of the path
    assert "beta: development dev.security_scan (Security scan passed (bandit)): fail" in err
    assert "1 high / 0 medium" in err


@pytest.mark.parametrize(
    ("written", "cause"),
    [
        ("../outside", "'../outside' lies outside the repository"),
        ("/srv/beta", "'/srv/beta' is absolute; write it relative to the repository root"),
        ("src/../../beta", "'src/../../beta' lies outside the repository"),
    ],
)
def test_a_path_outside_the_repository_is_a_configuration_error(
    tmp_path: Path, written: str, cause: str
) -> None:
    files = dict(BETA)
    files["pyproject.toml"] = files["pyproject.toml"].replace("PATH", written)
    repo = write_tree(tmp_path / "r", files)
    (tmp_path / "outside").mkdir()
    code, out, err = cli("run", str(repo), "--no-store")
    assert (code, out) == (2, "")
    assert err.strip() == (
        "maturity: error: invalid configuration: pyproject.toml:"
        f" tool.maturity.components.beta.path: {cause}"
    )


def test_two_components_with_one_directory_is_a_configuration_error(tmp_path: Path) -> None:
    files = dict(BETA)
    files["pyproject.toml"] = (
        '[tool.maturity.components.beta]\n[tool.maturity.components.other]\npath = "./src/beta/"\n'
    )
    repo = write_tree(tmp_path / "r", files)
    code, _, err = cli("components", str(repo))
    assert code == 2
    assert err.strip() == (
        "maturity: error: invalid configuration: pyproject.toml:"
        " tool.maturity.components.other.path: 'src/beta' is also the path of component"
        " 'beta': each directory belongs to one component"
    )


def test_a_component_without_python_files_is_not_measured(repo: Path) -> None:
    write_tree(
        repo,
        {
            "pyproject.toml": """
                [tool.maturity.components.code]
                [tool.maturity.components.assets]
                """,
            "src/code/__init__.py": '"""Code."""\n',
            "src/assets/logo.svg": "<svg/>\n",
        },
    )
    facts, project = measure(repo, "ruff", "pyright", "bandit", "docs", "accepted_risks")
    for criterion in ("dev.ruff", "dev.pyright", "dev.security_scan", "dev.documentation"):
        res = result(facts, project, "assets", criterion)
        assert (res.status, res.summary) == (Status.ERROR, "no Python files under src/assets/")
        assert result(facts, project, "code", criterion).status is not Status.ERROR
    docs = result(facts, project, "code", "dev.documentation")
    assert docs.display == "no public symbols"
