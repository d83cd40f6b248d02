"""Helpers to build small real repositories and measure them."""

from __future__ import annotations

import io
import sys
import textwrap
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from maturity.collectors.base import RunContext
from maturity.criteria import criteria_for
from maturity.facts import Facts
from maturity.model import CriterionResult, Stage
from maturity.project import Project, load_project
from maturity.runner import collect


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path -> dedented text) under ``root``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def context(root: Path, db_url: str | None = None) -> RunContext:
    """A run context for a fixture repo, using the test interpreter."""
    project = load_project(root)
    return RunContext(
        project=project, interpreter=sys.executable, run_dir=root / ".maturity/run", db_url=db_url
    )


def measure(root: Path, *names: str, db_url: str | None = None) -> tuple[Facts, Project]:
    """Run the named collectors on a fixture repo (and the list of component files, which
    the static and documentation criteria need)."""
    ctx = context(root, db_url)
    return collect(ctx, sorted({*names, "sources"})), ctx.project


def result(facts: Facts, project: Project, component: str, criterion: str) -> CriterionResult:
    """Evaluate one Development criterion for one component."""
    crit = next(c for c in criteria_for(Stage.DEVELOPMENT) if c.id == criterion)
    return crit.evaluate(facts, project.component(component), project.config)


def cli(*args: str) -> tuple[int, str, str]:
    """Run the maturity CLI in-process: (exit code, stdout, stderr)."""
    from maturity.cli import main

    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code
    return int(code or 0), out.getvalue(), err.getvalue()


def judge(facts: Facts, project: Project, component: str, criterion: str) -> CriterionResult:
    """Evaluate any criterion of the rulebook (by id) for one component."""
    crit = next(c for gate in Stage for c in criteria_for(gate) if c.id == criterion)
    return crit.evaluate(facts, project.component(component), project.config)
