"""Configuration loading, discovery and friendly errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from maturity.errors import ConfigError
from maturity.model import Stage
from maturity.project import load_project
from tests.helpers import write_tree


def test_zero_config_discovers_packages_under_src(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"src/b_pkg/__init__.py": "", "src/a_pkg/__init__.py": "", "src/not_a_pkg/x.py": ""},
    )
    project = load_project(tmp_path)
    assert [c.name for c in project.components] == ["a_pkg", "b_pkg"]
    comp = project.component("a_pkg")
    assert (comp.path, comp.stage, comp.marker) == ("src/a_pkg", Stage.DEVELOPMENT, "a_pkg")
    assert comp.label == "component:a-pkg"
    assert project.config_file is None


def test_declared_components_are_the_source_of_truth(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": """
                [tool.maturity.components.api]
                path = "services/api"
                stage = "staging"
                tests = ["tests/api/"]
                """,
            "services/api/__init__.py": "",
            "src/extra/__init__.py": "",
        },
    )
    project = load_project(tmp_path)
    assert [c.name for c in project.components] == ["api"]
    api = project.component("api")
    assert (api.path, api.stage, api.tests) == ("services/api", Stage.STAGING, ["tests/api"])
    assert project.undeclared == ["extra"]
    assert api.owns("services/api/x.py") and not api.owns("services/apix/y.py")


def test_maturity_toml_takes_precedence(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "maturity.toml": '[components.core]\nstage = "production"\n',
            "pyproject.toml": "[tool.maturity.components.other]\n",
            "src/core/__init__.py": "",
        },
    )
    project = load_project(tmp_path)
    assert project.config_file == tmp_path / "maturity.toml"
    assert project.component("core").stage is Stage.PRODUCTION


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[tool.maturity.components.x]\nstage = "beta"\n',
            "invalid configuration: pyproject.toml: tool.maturity.components.x.stage: "
            "Input should be 'development', 'staging' or 'production'",
        ),
        (
            "[tool.maturity]\ncolour = 1\n",
            "invalid configuration: pyproject.toml: tool.maturity.colour: "
            "Extra inputs are not permitted",
        ),
        (
            "[tool.maturity.thresholds]\ncoverage = 170\n",
            "invalid configuration: pyproject.toml: tool.maturity.thresholds.coverage: "
            "Input should be less than or equal to 100",
        ),
        (
            '[tool.maturity.components.x]\npath = "src/nope"\n',
            "invalid configuration: pyproject.toml: tool.maturity.components.x.path: "
            "directory 'src/nope' does not exist",
        ),
        (
            '[tool.maturity.components."my-comp"]\n',
            "invalid configuration: pyproject.toml: tool.maturity.components: "
            "Value error, component name 'my-comp' is not a Python identifier",
        ),
        (
            "[tool.maturity.tests]\nworkers = 0\n",
            "invalid configuration: pyproject.toml: tool.maturity.tests.workers: "
            "Value error, must be at least 1, or 'auto'",
        ),
        (
            '[tool.maturity.tests]\nworkers = "all"\n',
            "invalid configuration: pyproject.toml: tool.maturity.tests.workers",
        ),
        (
            "[tool.maturity]\njobs = 0\n",
            "invalid configuration: pyproject.toml: tool.maturity.jobs: "
            "Input should be greater than or equal to 1",
        ),
        ("[tool.maturity\n", "invalid configuration: pyproject.toml: not valid TOML"),
        ("[tool.maturity]\n", "invalid configuration: pyproject.toml: no components"),
    ],
)
def test_invalid_config_names_file_and_key(tmp_path: Path, toml: str, message: str) -> None:
    write_tree(tmp_path, {"pyproject.toml": toml, "src/x/__init__.py": ""})
    if "no components" in message:
        (tmp_path / "src/x/__init__.py").unlink()
    with pytest.raises(ConfigError) as info:
        load_project(tmp_path)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)
    assert info.value.exit_code == 2


def test_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a directory"):
        load_project(tmp_path / "missing")
