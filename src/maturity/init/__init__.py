"""``maturity init``: a starter config, an issue source that works, and the workflows.

The starter ``[tool.maturity]`` declares every discovered component. The issue source is
decided here rather than left to ``auto`` (which finds nothing in a new repository and
fails "No promotion blockers"): ``github`` when ``origin`` is on github.com, else
``file`` with an empty ``.maturity/issues.yaml``. The workflows are in ``workflows``;
where they install maturity from is ``install``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import Table

from maturity.config import IssuesConfig, find_config
from maturity.errors import UsageError
from maturity.git import default_branch
from maturity.github import remote_repo
from maturity.init.install import required_install
from maturity.init.workflows import render
from maturity.project import load_project
from maturity.workdir import DIRECTORY, ignore_generated

ISSUES_FILE = """\
# Open issues that block a promotion, read by the "No promotion blockers" criterion
# ([tool.maturity.issues] source = "file"). List an issue while it is open, e.g.:
#
#   - number: 42
#     title: Session store loses turns on reconnect
#     state: open
#     labels: [{label}, blocker:tests]
#
# An issue blocks when it carries a component's label and a blocker:* label. To read
# GitHub's issues instead, set source = "github" (and github_repo = "owner/name").
issues: []
"""


@dataclass
class InitResult:
    """Files written (and the config file, when one was)."""

    written: list[Path]
    config: Path | None


def issue_source(root: Path, existing: Table | None) -> tuple[Table, bool]:
    """The ``[tool.maturity.issues]`` table to write, and whether the issues file must be
    created: a source the config already names is kept; otherwise an existing issues file,
    else a github.com origin, else a new (empty) issues file."""
    if existing is not None and existing.get("source", "auto") != "auto":
        return existing, False
    table = existing if existing is not None else tomlkit.table()
    issues_file = root / str(table.get("file", IssuesConfig().file))
    if issues_file.exists():
        table["source"] = "file"
        return table, False
    if table.get("github_repo") or remote_repo(root):
        table["source"] = "github"
        return table, False
    table["source"] = "file"
    return table, True


def starter_config(root: Path, issues: Table | None = None) -> str:
    """A ``[tool.maturity]`` table declaring every discovered component."""
    project = load_project(root)
    doc = tomlkit.document()
    tool = tomlkit.table(is_super_table=True)
    table = tomlkit.table()
    table.add(
        tomlkit.comment("Written by `maturity init`. Stages change via maturity promote/demote.")
    )
    if issues is None:
        issues = tomlkit.table()
        issues["source"] = "auto"
    table["issues"] = issues
    components = tomlkit.table(is_super_table=True)
    for comp in project.components:
        entry = tomlkit.table()
        entry["stage"] = comp.stage.value
        components[comp.name] = entry
    table["components"] = components
    tool["maturity"] = table
    doc["tool"] = tool
    return tomlkit.dumps(doc)


def _existing_issues(table: dict[str, Any] | None) -> Table | None:
    found = (table or {}).get("issues")
    if not isinstance(found, dict):
        return None
    copy = tomlkit.table()
    for key, value in found.items():
        copy[key] = value
    return copy


def init(
    root: Path, force: bool = False, install: str | None = None, shards: int | None = None
) -> InitResult:
    """Write the starter config into pyproject.toml, the issues file when the issue
    source is a new one, and the workflows.

    ``install`` is the pip requirement the workflows install maturity from (a
    ``git+https://…`` URL, a wheel URL, or a name on the team's own index); without one
    this is a usage error proposing where the running installation came from.
    """
    install = required_install(install)
    root = root.resolve()
    written: list[Path] = []
    if shards is not None and shards < 2:
        raise UsageError(f"--shards {shards}: give 2 or more (1 is the unsharded workflow)")
    workflows = render(install, default_branch(root) or "main", shards)
    existing = [root / rel for rel in workflows if (root / rel).exists()]
    config_file, _, table = find_config(root)
    if not force and (existing or table):
        taken = [str(p.relative_to(root)) for p in existing]
        if table and config_file:
            taken.append(f"{config_file.name} [tool.maturity]")
        raise UsageError(f"already present (use --force to overwrite): {', '.join(taken)}")
    config_path: Path | None = None
    if not table or force:
        issues, new_issues_file = issue_source(root, _existing_issues(table))
        config_path = root / "pyproject.toml"
        doc = (
            tomlkit.parse(config_path.read_text(encoding="utf-8"))
            if config_path.exists()
            else tomlkit.document()
        )
        starter = tomlkit.parse(starter_config(root, issues))
        tool = doc.setdefault("tool", tomlkit.table(is_super_table=True))
        tool["maturity"] = starter["tool"]["maturity"]  # type: ignore[index]
        config_path.write_text(tomlkit.dumps(doc), encoding="utf-8")
        written.append(config_path)
        if new_issues_file:
            written.append(_write_issues_file(root))
    for rel, text in workflows.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return InitResult(written, config_path)


def _write_issues_file(root: Path) -> Path:
    """An empty issue list with a comment saying how to fill it (never overwritten)."""
    project = load_project(root)
    path = project.root / project.config.issues.file
    if path.parent == root / DIRECTORY:
        ignore_generated(root)  # the directory maturity also writes its history into
    path.parent.mkdir(parents=True, exist_ok=True)
    label = project.components[0].label if project.components else "component:<name>"
    with path.open("x", encoding="utf-8") as fh:
        fh.write(ISSUES_FILE.format(label=label))
    return path
