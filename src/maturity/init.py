"""``maturity init``: a starter config and the spec's two GitHub Actions workflows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import tomlkit

from maturity.config import find_config, load_project
from maturity.errors import UsageError

QUALITY_WORKFLOW = """\
# Written by `maturity init`: the rulebook's "On Pull Request" workflow.
name: Component Quality Check

on: [pull_request]

jobs:
  quality:
    runs-on: ubuntu-latest
{setup}      - name: Check every component against the stage it holds
        run: >
          .venv/bin/maturity check --no-progress --no-store
          --json maturity-report.json --summary "$GITHUB_STEP_SUMMARY"
      - name: Upload the JSON report
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: maturity-report
          path: maturity-report.json
"""

STAGING_WORKFLOW = """\
# Written by `maturity init`: the rulebook's "On Staging Deployment" workflow.
name: Staging Validation

on:
  workflow_dispatch:
    inputs:
      component:
        description: 'Component to validate'
        required: true

jobs:
  validate:
    runs-on: ubuntu-latest
{setup}      - name: Run the Staging gate for the component
        run: >
          .venv/bin/maturity check --no-progress --no-store --require staging
          --component "${{{{ inputs.component }}}}" --json maturity-staging.json
          --summary "$GITHUB_STEP_SUMMARY"
      - name: Upload the JSON report
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: maturity-staging-${{{{ inputs.component }}}}
          path: maturity-staging.json
"""

SETUP_STEPS = """\
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install the project and maturity
        run: |
          python -m venv .venv
          .venv/bin/pip install -e . '{install}'
"""

WORKFLOWS = {
    ".github/workflows/component-quality-check.yml": QUALITY_WORKFLOW,
    ".github/workflows/staging-validation.yml": STAGING_WORKFLOW,
}


@dataclass
class InitResult:
    """Files written (and the config file, when one was)."""

    written: list[Path]
    config: Path | None


def starter_config(root: Path) -> str:
    """A ``[tool.maturity]`` table declaring every discovered component."""
    project = load_project(root)
    doc = tomlkit.document()
    tool = tomlkit.table(is_super_table=True)
    table = tomlkit.table()
    table.add(
        tomlkit.comment("Written by `maturity init`. Stages change via maturity promote/demote.")
    )
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


DEFAULT_INSTALL = "maturity"


def init(root: Path, force: bool = False, install: str = DEFAULT_INSTALL) -> InitResult:
    """Write the starter config into pyproject.toml and the two workflows.

    ``install`` is the pip requirement the workflows install maturity from (a package
    name, a ``git+https://…`` URL or a wheel path), as the team hosts it.
    """
    root = root.resolve()
    written: list[Path] = []
    existing = [root / rel for rel in WORKFLOWS if (root / rel).exists()]
    config_file, _, table = find_config(root)
    if not force and (existing or table):
        taken = [str(p.relative_to(root)) for p in existing]
        if table and config_file:
            taken.append(f"{config_file.name} [tool.maturity]")
        raise UsageError(f"already present (use --force to overwrite): {', '.join(taken)}")
    config_path: Path | None = None
    if not table or force:
        config_path = root / "pyproject.toml"
        doc = (
            tomlkit.parse(config_path.read_text(encoding="utf-8"))
            if config_path.exists()
            else tomlkit.document()
        )
        starter = tomlkit.parse(starter_config(root))
        tool = doc.setdefault("tool", tomlkit.table(is_super_table=True))
        tool["maturity"] = starter["tool"]["maturity"]  # type: ignore[index]
        config_path.write_text(tomlkit.dumps(doc), encoding="utf-8")
        written.append(config_path)
    for rel, text in WORKFLOWS.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        setup = SETUP_STEPS.format(install=install)
        path.write_text(text.format(setup=setup), encoding="utf-8")
        written.append(path)
    return InitResult(written, config_path)
