"""A sharded run: ``maturity run --shard K/N`` measures one N-th of a run into a bundle.

How the work is split (deterministically: every shard computes the same split):

- **unit tests**: each shard collects every test and runs the K-th of N parts (our pytest
  plugin, ``_in_target/maturity_shard.assign``): greedy longest-first by the durations
  of the store's newest run (``tests.durations``), ties by node id; a test without a
  duration weighs the mean of the known ones; without history, by count. Each shard's
  coverage data file is kept for the merge, which combines them with coverage.py.
- **ruff, pyright, bandit**: each shard runs them over its part of the component
  directories (the same greedy split, weighed by the bytes of Python in each). Their
  findings are per file, so the parts add up to the whole run's (see docs/ci.md for
  pyright: it still follows imports everywhere, as in a whole run).
- **every other collector** (documentation, issues, …) runs whole in shard 1.

Workspaces (several pytest sessions) are refused: their sessions are not split yet.
"""

from __future__ import annotations

import importlib.util
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, cast

from maturity.budget import budget, default_jobs
from maturity.bundle import SPLIT, TESTS, Manifest, config_digest, write_bundle
from maturity.collectors.base import RunContext, Share
from maturity.collectors.pytest_run import PLUGIN_DIR, plan_sessions, unit_test_paths
from maturity.errors import ShardError
from maturity.evaluate import criteria_needed
from maturity.facts import Facts, FindingsFacts, TestRunFacts, ToolFacts
from maturity.git import git_info
from maturity.model import Stage
from maturity.project import Project
from maturity.rundirs import run_directory
from maturity.runner import EXCLUSIVE, Progress, check_waivers, collect, resolve_interpreter

if TYPE_CHECKING:  # the store's libraries load when durations are read
    from maturity.store import Store

Assign = Callable[[list[str], dict[str, float], int], list[list[str]]]


def _in_target() -> tuple[Assign, Callable[[str], tuple[int, int]]]:
    """The split our pytest plugin uses, loaded from its file (it imports nothing of ours)."""
    spec = importlib.util.spec_from_file_location(
        "maturity_shard", PLUGIN_DIR / "maturity_shard.py"
    )
    if spec is None or spec.loader is None:  # pragma: no cover - the file ships with us
        raise ImportError("maturity_shard")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return cast(Assign, module.assign), module.parse


assign, _parse = _in_target()


def parse_shard(text: str) -> tuple[int, int]:
    """``--shard K/N`` as ``(K, N)``; ShardError when it is not one."""
    try:
        return _parse(text)
    except ValueError as exc:
        raise ShardError(f"--shard {exc}") from None


def root_weights(project: Project) -> dict[str, float]:
    """Bytes of Python under each component directory: what its static tools cost."""
    weights: dict[str, float] = {}
    for root in project.roots:
        weights[root] = float(
            sum(p.stat().st_size for p in (project.root / root).rglob("*.py") if p.is_file())
        )
    return weights


def roots_of(project: Project, index: int, count: int) -> list[str]:
    """The component directories shard ``index`` of ``count`` runs the static tools over."""
    return assign(project.roots, root_weights(project), count)[index - 1]


def collectors_of(names: list[str], index: int, roots: list[str]) -> list[str]:
    """Which of the run's collectors shard ``index`` runs."""
    return [
        n for n in names if n == TESTS or (n in SPLIT and roots) or (n not in SPLIT and index == 1)
    ]


def previous_durations(store: Store | None) -> tuple[dict[str, float], str | None]:
    """Each test's seconds in the store's newest run that recorded them, and which run."""
    from maturity.store import latest_run

    if store is None:
        return {}, None
    newest = latest_run(store)
    tests = newest[1].tests if newest is not None else None
    if newest is None or tests is None or not tests.durations:
        return {}, None
    return dict(tests.durations), f"run #{newest[0]} of {store.url}"


def run_shard(
    project: Project,
    index: int,
    count: int,
    out: Path,
    stage: Stage | None = None,
    durations: tuple[dict[str, float], str | None] = ({}, None),
    progress: Progress | None = None,
    db_url: str | None = None,
    jobs: int | None = None,
) -> Manifest:
    """Measure shard ``index`` of ``count`` and write its bundle at ``out``; its tools
    share ``jobs`` CPUs (``--jobs``)."""
    start = time.monotonic()
    check_waivers(project, project.components)
    interpreter = resolve_interpreter(project)
    needed = criteria_needed(project.components, stage)
    names = sorted({n for c in needed for n in c.needs})
    roots = roots_of(project, index, count)
    mine = collectors_of(names, index, roots)
    with run_directory(project.root) as run_dir:
        weights, source = durations
        durations_file = None
        if weights:
            durations_file = run_dir / "durations.json"
            durations_file.write_text(json.dumps(weights), encoding="utf-8")
        share = Share(index, count, tuple(roots), durations_file)
        ctx = RunContext(project, interpreter, run_dir, db_url, share=share)
        if TESTS in mine:
            sessions = plan_sessions(ctx, unit_test_paths(ctx))
            if len(sessions) > 1:
                where = ", ".join(s.project for s in sessions)
                raise ShardError(
                    f"cannot shard a workspace run: its unit tests run in {len(sessions)}"
                    f" pytest sessions ({where}); run it unsharded"
                )
        timed = Timings(progress)
        facts = _collect(ctx, mine, timed, jobs)
        git = git_info(project.root)
        manifest = Manifest(
            shard=index,
            shards=count,
            commit=git.commit,
            dirty=git.dirty,
            config=config_digest(project),
            root=str(project.root),
            interpreter=interpreter,
            versions=versions(facts),
            stage=stage.value if stage else None,
            collectors=mine,
            roots=roots,
            tests=len(facts.tests.tests) if isinstance(facts.tests, TestRunFacts) else 0,
            durations_from=source,
            seconds=0.0,
            timings=timed.seconds,
        )
        manifest.seconds = round(time.monotonic() - start, 3)
        write_bundle(out, manifest, facts, run_dir)
    return manifest


class Timings(Progress):
    """Each collector's wall seconds (for the manifest), passed on to ``progress``."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress or Progress()
        self.seconds: dict[str, float] = {}

    def started(self, name: str, title: str) -> None:
        """A collector started."""
        self.progress.started(name, title)

    def finished(self, name: str, facts: ToolFacts, seconds: float) -> None:
        """A collector finished: its time is kept."""
        self.seconds[name] = round(seconds, 3)
        self.progress.finished(name, facts, seconds)


def _collect(
    ctx: RunContext, names: list[str], progress: Progress | None, jobs: int | None = None
) -> Facts:
    """The shard's collectors: the unit run and static tools with the shard's share, the
    others (integration and E2E suites among them) as in a whole run, both groups at once
    within one budget of ``jobs`` CPUs (``--jobs``, else the configured, else all); the
    load tests afterwards, alone, as in a whole run."""
    shared = [n for n in names if n == TESTS or n in SPLIT]
    whole = [n for n in names if n not in shared and n not in EXCLUSIVE]
    alone = [n for n in names if n in EXCLUSIVE]
    plain = RunContext(ctx.project, ctx.interpreter, ctx.run_dir, ctx.db_url)
    cpus = jobs or ctx.project.config.jobs or default_jobs()
    with budget(cpus), ThreadPoolExecutor(max_workers=2) as pool:
        parts = pool.submit(collect, ctx, shared, progress)
        rest = collect(plain, whole, progress) if whole else Facts()
        facts = parts.result()
    last = collect(plain, alone, progress) if alone else Facts()
    for name in whole:
        setattr(facts, name, getattr(rest, name))
    for name in alone:
        setattr(facts, name, getattr(last, name))
    return facts


def versions(facts: Facts) -> dict[str, str]:
    """The versions of the interpreter and tools that measured (those known)."""
    found: dict[str, str] = {}
    tests = facts.tests
    if isinstance(tests, TestRunFacts):
        if tests.interpreter_version:
            found["python"] = tests.interpreter_version
        if tests.pytest_version:
            found["pytest"] = tests.pytest_version
    for name in SPLIT:
        value = getattr(facts, name)
        if isinstance(value, FindingsFacts) and value.version:
            found[name] = value.version
    return found
