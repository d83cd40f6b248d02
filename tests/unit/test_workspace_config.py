"""Zero-config discovery of workspace members, project directories, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from maturity.errors import EXIT_WORKSPACE, WorkspaceError
from maturity.project import load_project
from maturity.workspace import component_names
from tests.helpers import cli, write_tree

MEMBER = """
    [project]
    name = "{name}"
    version = "0.1.0"
"""


def member(path: str, name: str, package: str = "pkg/x") -> dict[str, str]:
    """A member directory with its pyproject.toml, one package and a tests directory."""
    return {
        f"{path}/pyproject.toml": MEMBER.format(name=name),
        f"{path}/{package}/__init__.py": "",
        f"{path}/tests/test_it.py": "def test_it():\n    pass\n",
    }


def rows(root: Path) -> list[tuple[str, str, str, list[str]]]:
    project = load_project(root)
    return [(c.name, c.path, c.project, c.tests) for c in project.components]


def test_uv_workspace_members_become_components(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "pyproject.toml": '[tool.uv.workspace]\nmembers = ["libs/*"]\nexclude = ["libs/old"]\n',
        **member("libs/checkpoint", "acme-checkpoint", "acme/checkpoint"),
        **member("libs/checkpoint-sqlite", "acme-checkpoint-sqlite", "acme/checkpoint/sqlite"),
        **member("libs/old", "acme-old"),
    })  # fmt: skip
    assert rows(tmp_path) == [
        ("checkpoint", "libs/checkpoint/acme/checkpoint", "libs/checkpoint",
         ["libs/checkpoint/tests"]),
        ("checkpoint_sqlite", "libs/checkpoint-sqlite/acme/checkpoint/sqlite",
         "libs/checkpoint-sqlite", ["libs/checkpoint-sqlite/tests"]),
    ]  # fmt: skip


def test_libs_and_packages_are_the_fallback_and_src_layout_members_work(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        **member("libs/core", "core", "src/core"),
        **member("packages/web-app", "web-app", "web_app"),
        "libs/notes/README.md": "not a member: no pyproject.toml\n",
    })  # fmt: skip
    assert rows(tmp_path) == [
        ("core", "libs/core/src/core", "libs/core", ["libs/core/tests"]),
        ("web_app", "packages/web-app/web_app", "packages/web-app", ["packages/web-app/tests"]),
    ]


@pytest.mark.parametrize(
    "declaration",
    [
        '[tool.pdm.workspace]\nmembers = ["tools/*"]\n',
        '[tool.hatch.envs.default.workspace]\nmembers = [{path = "tools/one"}, "tools/two"]\n',
        '[tool.poetry.dependencies]\none = {path = "tools/one", develop = true}\n'
        'two = {path = "tools/two"}\n',
    ],
)
def test_pdm_hatch_and_poetry_declarations(tmp_path: Path, declaration: str) -> None:
    write_tree(tmp_path, {
        "pyproject.toml": declaration,
        **member("tools/one", "x-one", "one"),
        **member("tools/two", "x-two", "two"),
    })  # fmt: skip
    assert [r[:3] for r in rows(tmp_path)] == [
        ("one", "tools/one/one", "tools/one"),
        ("two", "tools/two/two", "tools/two"),
    ]


def test_names_are_normalised_and_overridable(tmp_path: Path) -> None:
    assert component_names(["acme-checkpoint-sqlite", "acme-core", "acme"]) == [
        "checkpoint_sqlite", "core", "acme"
    ]  # fmt: skip
    assert component_names(["Flask.Ext"]) == ["flask_ext"]
    write_tree(tmp_path, {
        "pyproject.toml": '[tool.maturity.workspace]\nnames = {"libs/a" = "alpha"}\n',
        **member("libs/a", "acme-a"),
        **member("libs/b", "acme-b"),
    })  # fmt: skip
    assert [r[0] for r in rows(tmp_path)] == ["alpha", "b"]


def test_a_declared_path_infers_its_project_directory(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "pyproject.toml": """
            [tool.maturity.components.svc]
            path = "services/svc/src/svc"
            tests = ["services/svc/tests"]

            [tool.maturity.components.calc]
            path = "src/calc"
        """,
        "services/svc/pyproject.toml": MEMBER.format(name="svc"),
        "services/svc/src/svc/__init__.py": "",
        "src/calc/__init__.py": "",
    })  # fmt: skip
    assert [r[:3] for r in rows(tmp_path)] == [
        ("svc", "services/svc/src/svc", "services/svc"),
        ("calc", "src/calc", "."),
    ]


@pytest.mark.parametrize(
    ("files", "said"),
    [
        (
            {"pyproject.toml": '[tool.uv.workspace]\nmembers = ["libs/*"]\n'},
            "pyproject.toml: tool.uv.workspace.members: member 'libs/*' matches no directory",
        ),
        (
            {
                "pyproject.toml": '[tool.uv.workspace]\nmembers = ["libs/*"]\n',
                "libs/a/pkg/__init__.py": "",
            },
            "pyproject.toml: tool.uv.workspace.members: member 'libs/a' has no pyproject.toml",
        ),
        (
            {"libs/a/pyproject.toml": "[project\nname = 1\n"},
            "libs/a/pyproject.toml: not valid TOML",
        ),
        (
            {"libs/a/pyproject.toml": "[project]\nversion = '1'\n"},
            "libs/a/pyproject.toml: project.name: missing",
        ),
        (
            {**member("libs/a", "acme-x"), **member("libs/b", "acme_x")},
            "libs/b/pyproject.toml: project.name: component name 'x' is also libs/a's",
        ),
    ],
)
def test_bad_workspaces_are_one_line_errors_with_their_own_exit_code(
    tmp_path: Path, files: dict[str, str], said: str
) -> None:
    write_tree(tmp_path, files)
    with pytest.raises(WorkspaceError) as caught:
        load_project(tmp_path)
    assert said in str(caught.value)
    code, _, err = cli("components", str(tmp_path))
    assert code == EXIT_WORKSPACE == 7
    assert err.count("\n") == 1 and said in err and "Traceback" not in err


def test_components_shows_project_and_test_paths(tmp_path: Path) -> None:
    write_tree(tmp_path, member("libs/a", "acme-a"))
    code, out, _ = cli("components", str(tmp_path))
    assert code == 0
    assert out.splitlines()[1].split() == [
        "acme_a", "libs/a/pkg/x", "libs/a", "libs/a/tests", "development", "component:acme-a", "-"
    ]  # fmt: skip
