"""``maturity merge BUNDLE…``: the shards' bundles combined into one run, evaluated once.

The bundles must make one run (``bundle.check_set``). The unit run's facts are joined:
the tests in the order pytest collected them, collection errors once (every shard
collects every file), the per-test files of our plugin, and the coverage data files
combined with coverage.py's ``Coverage.combine`` (in the target's interpreter, as an
unsharded run combines a workspace's sessions) before they are read once for every
component. The static tools' findings are concatenated (each shard analysed its own
component directories); every other collector's facts come from shard 1. The merged
facts are evaluated exactly as ``maturity run`` evaluates its own, and kept for the commit
as ``run`` keeps them (a later ``--changed-since`` carries them).
"""

from __future__ import annotations

import copy
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from maturity.bundle import SPLIT, TESTS, Bundle, check_set, read_bundle
from maturity.collectors.base import RunContext
from maturity.collectors.cache import FactCache
from maturity.collectors.coverage_data import read_coverage
from maturity.collectors.incremental import Checkout, keep
from maturity.collectors.pytest_run import DATA_FILE, PYTEST_EXIT, merge_per_test
from maturity.facts import CollectionError, Facts, FindingsFacts, TestRunFacts, ToolFacts
from maturity.git import git_info
from maturity.model import RunReport, Stage
from maturity.project import Project
from maturity.rundirs import run_directory
from maturity.runner import check_waivers, report_of, resolve_interpreter

SHARDS_DIR = "shards"


def merge(project: Project, paths: list[Path], db_url: str | None = None) -> RunReport:
    """One run's report from the bundles of all its shards."""
    git = git_info(project.root)
    bundles = check_set([read_bundle(p) for p in paths], project, git.commit)
    check_waivers(project, project.components)
    first = bundles[0].manifest
    stage = Stage(first.stage) if first.stage else None
    now = datetime.now(UTC)
    interpreter = resolve_interpreter(project)
    names = sorted({n for b in bundles for n in b.manifest.collectors})
    facts = Facts()
    with run_directory(project.root) as run_dir:
        ctx = RunContext(project, interpreter, run_dir, db_url)
        for name in names:
            parts = [(b, b.facts[name]) for b in bundles if name in b.facts]
            if name == TESTS:
                facts.tests = merge_tests(ctx, parts)
            elif name in SPLIT:
                setattr(facts, name, merge_findings(parts))
            else:
                setattr(facts, name, parts[0][1])
        # kept for the commit, as `run` keeps them: pull requests carry them
        keep(FactCache(ctx), facts, names, Checkout.of(project.root))
    return report_of(project, project.components, stage, facts, interpreter, now, git)


def merge_findings(parts: list[tuple[Bundle, ToolFacts]]) -> FindingsFacts:
    """The static tool's findings of every shard (each ran over its own directories)."""
    merged = FindingsFacts()
    commands: list[str] = []
    for bundle, value in parts:
        if not isinstance(value, FindingsFacts):
            continue
        if value.error and merged.error is None:
            merged.error = f"{bundle.manifest.label}: {value.error}"
        merged.tool = merged.tool or value.tool
        merged.path = merged.path or value.path
        merged.version = merged.version or value.version
        merged.findings += value.findings
        merged.failed_files |= value.failed_files
        merged.general += [g for g in value.general if g not in merged.general]
        if value.command:
            commands.append(value.command)
    merged.command = " ; ".join(commands) or None
    return merged


def _split_problem(ids: list[str], order: list[str]) -> str | None:
    """Why the shards' tests are not one run's: a test in two shards, or (when shard 1
    recorded the collection order) a collected test in none. Each shard splits the tests
    itself; shards that saw different durations or files split differently."""
    seen: set[str] = set()
    for nodeid in ids:
        if nodeid in seen:
            return f"the shards split the tests differently: {nodeid} ran in two shards"
        seen.add(nodeid)
    missing = [nodeid for nodeid in order if nodeid not in seen]
    if missing:
        return (
            f"the shards split the tests differently: {len(missing)} collected tests ran in"
            f" no shard ({missing[0]}, …)"
        )
    return None


def merge_tests(ctx: RunContext, parts: list[tuple[Bundle, ToolFacts]]) -> TestRunFacts:
    """The unit run of every shard as one: outcomes, collection errors, per-test files and
    the coverage of all shards' data combined (read once, as an unsharded run reads it)."""
    runs = [(b, v) for b, v in parts if isinstance(v, TestRunFacts)]
    first_bundle, first = runs[0]
    merged = copy.deepcopy(first)
    merged.tests, merged.collection_errors, merged.imports = [], [], {}
    seen_errors: set[CollectionError] = set()
    statuses: list[int] = []
    errors: list[str] = []
    for bundle, run in runs:
        merged.tests += run.tests
        for err in run.collection_errors:
            if err not in seen_errors:
                seen_errors.add(err)
                merged.collection_errors.append(err)
        merged.imports |= run.imports
        if run.exit_status is not None:
            statuses.append(run.exit_status)
        if run.error:
            errors.append(f"{bundle.manifest.label}: {run.error}")
        merged.stopped = merged.stopped or run.stopped
    order = _collection_order(first_bundle)
    rank = {nodeid: i for i, nodeid in enumerate(order)}
    merged.tests.sort(key=lambda t: rank.get(t.nodeid, len(rank)))
    split = _split_problem([t.nodeid for t in merged.tests], order)
    if split:
        errors.append(split)
    merged.exit_status = max(statuses) if statuses else None
    merged.error = "; ".join(errors) or None
    if merged.error is None and not merged.tests and not merged.collection_errors:
        status = merged.exit_status if merged.exit_status is not None else 5
        merged.exit_status = 5
        merged.error = (
            f"pytest collected no tests in {' '.join(merged.paths)} (pytest exit {status})"
        )
    elif merged.error is None and merged.exit_status in (3, 4):
        merged.error = f"pytest {PYTEST_EXIT[merged.exit_status]} (exit {merged.exit_status})"
    data_file = ctx.run_dir / DATA_FILE
    _session(ctx, merged, data_file)
    if merged.error is not None:
        return merged
    shard_files = _copy_data(ctx, runs)
    report = ctx.run_dir / "pytest.json"
    per_test: dict[str, Any] = {"tests": [], "files": {}}
    for bundle, _ in runs:
        merge_per_test(per_test, bundle.pytest_report)
    report.write_text(json.dumps({"per_test": per_test}), encoding="utf-8")
    merged.coverage = read_coverage(ctx, data_file, report, shard_files)
    return merged


def _collection_order(bundle: Bundle) -> list[str]:
    """Every collected test in pytest's order, as shard 1's plugin recorded it."""
    try:
        payload = json.loads(bundle.pytest_report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return list((payload.get("shard") or {}).get("order") or [])


def _copy_data(ctx: RunContext, runs: list[tuple[Bundle, TestRunFacts]]) -> list[Path]:
    """Each shard's coverage data file (with its pieces) into this run's directory."""
    found: list[Path] = []
    for bundle, _ in runs:
        where = ctx.run_dir / SHARDS_DIR / str(bundle.manifest.shard)
        where.mkdir(parents=True, exist_ok=True)
        source = bundle.data_file
        for piece in (source, *source.parent.glob(source.name + ".*")):
            if piece.is_file():
                shutil.copyfile(piece, where / piece.name)
        found.append(where / source.name)
    return found


def _session(ctx: RunContext, merged: TestRunFacts, data_file: Path) -> None:
    """The one session's account, its figures those of every shard's part."""
    outcomes: dict[str, int] = {}
    for t in merged.tests:
        outcomes[t.outcome] = outcomes.get(t.outcome, 0) + 1
    for session in merged.sessions:
        session.outcomes = outcomes
        session.exit_status = merged.exit_status
        session.collection_errors = len(merged.collection_errors)
        session.data_file = ctx.relpath(data_file) if merged.error is None else None
        session.error = merged.error
