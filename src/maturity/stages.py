"""Stage changes: promotion and demotion, recorded in the committed config and the store.

The declared stage lives in the team's config file, so a promotion is a diff they
review in a pull request; the store keeps who did it, when, why, and on which run.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from maturity.errors import MaturityError, UsageError
from maturity.git import git_info
from maturity.model import CriterionResult, RunReport, Stage
from maturity.project import Project

if TYPE_CHECKING:  # the store's and tomlkit's are imported when a change is recorded
    import tomlkit
    from tomlkit.items import Table

    from maturity.store import Store


class PromotionRefused(MaturityError):
    """The exit criteria of the current stage do not all pass."""

    exit_code = 1


@dataclass
class StageChange:
    """What a promotion or demotion did."""

    component: str
    kind: str
    from_stage: Stage
    to_stage: Stage
    event_id: int
    run_id: int | None
    config_file: Path
    forced: bool


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _subtable(parent: Table | tomlkit.TOMLDocument, key: str, super_table: bool = False) -> Table:
    import tomlkit
    from tomlkit.items import Table

    if key not in parent:
        parent[key] = tomlkit.table(is_super_table=super_table)
    value = parent[key]
    if not isinstance(value, Table):
        raise UsageError(f"cannot edit the config: {key} is not a table")
    return value


def write_declared_stage(project: Project, component: str, stage: Stage) -> Path:
    """Set ``[tool.maturity.components.<component>] stage`` preserving the file's format.

    When the config declared no components (they were discovered), every discovered
    component is written with its current stage, so none silently disappears.
    """
    import tomlkit

    path = project.config_file or project.root / "pyproject.toml"
    doc = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    if path.name == "maturity.toml" and "tool" not in doc:
        root: Table | tomlkit.TOMLDocument = doc
    else:
        root = _subtable(_subtable(doc, "tool", super_table=True), "maturity")
    declared = bool(project.config.components)
    components = _subtable(root, "components", super_table=True)
    if not declared:
        for comp in project.components:
            _subtable(components, comp.name)["stage"] = comp.stage.value
    _subtable(components, component)["stage"] = stage.value
    _atomic_write(path, tomlkit.dumps(doc))
    return path


def failing_exit_criteria(report: RunReport, component: str, gate: Stage) -> list[CriterionResult]:
    """The exit criteria of ``gate`` that are not met in ``report``."""
    comp = report.component(component)
    results = comp.for_gate(gate)
    if not results:
        raise UsageError(f"the run has no {gate} exit criteria for {component}")
    return [c for c in results if not c.met]


def promote(
    project: Project,
    store: Store,
    component: str,
    to: Stage,
    actor: str,
    measure: Callable[[], RunReport],
    force: bool = False,
    reason: str | None = None,
) -> StageChange:
    """Promote when the current stage's exit criteria pass in the latest run for HEAD."""
    from maturity.store import latest_run, record_stage_event, save_run

    comp = project.component(component)
    current = comp.stage
    if list(Stage).index(to) <= list(Stage).index(current):
        raise UsageError(f"{component} is at {current}: promotion must go to a later stage")
    if force and not reason:
        raise UsageError("--force needs --reason: say why the criteria are overridden")
    if to is not current.next and not force:
        raise UsageError(
            f"promote one stage at a time: {component} is at {current}, next is {current.next}"
        )
    git = git_info(project.root)
    found = latest_run(store, git.commit) if git.commit and not git.dirty else None
    if found is not None and component in {c.name for c in found[1].components}:
        run_id, report = found
    else:
        report = measure()
        run_id = save_run(store, report)
    failing = failing_exit_criteria(report, component, current)
    if failing and not force:
        lines = "; ".join(f"{c.title}: {c.summary}" for c in failing)
        raise PromotionRefused(
            f"{component} cannot be promoted to {to}: {len(failing)} {current} exit"
            f" criteria not met (run #{run_id}): {lines}"
        )
    path = write_declared_stage(project, component, to)
    event_id = record_stage_event(
        store, component, "promotion", current, to, actor, reason, bool(failing) and force,
        git.commit, run_id,
    )  # fmt: skip
    return StageChange(
        component, "promotion", current, to, event_id, run_id, path, bool(failing) and force
    )


def demote(
    project: Project, store: Store, component: str, to: Stage, actor: str, reason: str
) -> StageChange:
    """Move a component back to an earlier stage, with a reason."""
    from maturity.store import record_stage_event

    current = project.component(component).stage
    if list(Stage).index(to) >= list(Stage).index(current):
        raise UsageError(f"{component} is at {current}: demotion must go to an earlier stage")
    if not reason.strip():
        raise UsageError("a demotion needs --reason")
    path = write_declared_stage(project, component, to)
    git = git_info(project.root)
    event_id = record_stage_event(
        store, component, "demotion", current, to, actor, reason, False, git.commit, None
    )
    return StageChange(component, "demotion", current, to, event_id, None, path, False)
