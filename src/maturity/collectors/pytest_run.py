"""The single pytest run with coverage, in the target's own interpreter.

One ``coverage run --source=<component dirs> -m pytest <unit test paths>`` for the
whole repository. Our pytest plugin (which imports nothing from maturity) records
each test's outcome and markers and which measured files each test ran (read from
coverage.py's tracer data at test boundaries). The coverage data file is then read
with coverage.py's API, in the target's interpreter and under its configuration, for the
component files only (``_in_target/maturity_coverage_reader.py``). The data file is
kept in the run's directory so every figure can be checked with ``coverage report``.
"""

from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maturity.budget import each
from maturity.collectors.base import Collector, Inputs, RunContext, ToolRun, everything, run_tool
from maturity.collectors.coverage_data import read_coverage
from maturity.collectors.imports import imports_of_tests
from maturity.collectors.xdist_run import add_per_test, merge_reports, xdist_workers
from maturity.facts import (
    CollectionError,
    TestOutcome,
    TestRunFacts,
    TestSession,
)
from maturity.paths import under
from maturity.project import project_directory

PLUGIN_DIR = Path(__file__).parent / "_in_target"
PLUGIN = "maturity_pytest_plugin"
DATA_FILE = ".coverage"
SESSIONS_DIR = "sessions"
PYTEST_EXIT = {
    2: "interrupted",
    3: "internal error",
    4: "usage error",
    5: "no tests collected",
}
_PROBE = (
    "import sys\n"
    "try:\n"
    "    import pytest, coverage\n"
    "except ImportError as exc:\n"
    "    print('missing', exc.name); raise SystemExit(0)\n"
    "print('ok', sys.version.split()[0], pytest.__version__, coverage.__version__)\n"
)


def unit_test_paths(ctx: RunContext) -> list[str]:
    """The test paths of the unit run: configured, else tests/unit, else tests."""
    config = ctx.project.config
    if config.unit_tests is not None:
        paths = list(config.unit_tests)
    elif (ctx.root / "tests" / "unit").is_dir():
        paths = ["tests/unit"]
    elif (ctx.root / "tests").is_dir():
        paths = ["tests"]
    else:
        paths = []
    for comp in ctx.project.components:
        for extra in comp.tests:
            if not any(extra == p or extra.startswith(p.rstrip("/") + "/") for p in paths):
                paths.append(extra)
    return paths


def diagnose_interpreter(ctx: RunContext) -> str | None:
    """Why pytest could not run in the target interpreter, if the interpreter is the
    cause: it cannot start, or pytest or coverage is missing. None when it looks fine.

    Asked only after a run produced no report: a healthy run pays nothing for it.
    """
    probe = run_tool([ctx.interpreter, "-c", _PROBE], ctx.root, 120)
    words = probe.stdout.split()
    if probe.error or probe.returncode != 0 or not words:
        return f"cannot run the target interpreter {ctx.interpreter}: " + (
            probe.error or probe.tail()
        )
    if words[0] == "missing":
        return f"{words[1]} is not installed in the target interpreter {ctx.interpreter}"
    return None


def run_pytest(
    ctx: RunContext,
    facts: TestRunFacts,
    paths: list[str],
    report_file: Path,
    coverage_data: Path | None = None,
    project: str = ".",
    workers: int | None = None,
) -> ToolRun | None:
    """One pytest run of ``paths`` with our recorder plugin, optionally under coverage,
    from the ``project`` directory (repo-relative; the root by default); with
    ``workers``, under pytest-xdist (``-n``), each worker measuring itself.

    Fills ``facts`` (tests, collection errors, exit status, command) from the plugin's
    JSON report, never from the exit code alone; sets ``facts.error`` when it could not.
    """
    facts.paths = paths
    report_file.unlink(missing_ok=True)
    cwd = ctx.root / project
    args = [p if project == "." else p.removeprefix(project + "/") for p in paths]
    pytest_args = [
        "-m", "pytest", *args,
        "-p", PLUGIN,
        "-p", "no:cacheprovider",
        "--continue-on-collection-errors",
        "-q",
        *(["-n", str(workers)] if workers else []),
    ]  # fmt: skip
    argv = [ctx.interpreter, *pytest_args]
    roots = ctx.project.roots
    sources = ",".join(roots if project == "." else [str(ctx.root / r) for r in roots])
    if coverage_data is not None:
        argv = [
            ctx.interpreter, "-m", "coverage", "run", *(["--parallel-mode"] if workers else []),
            f"--source={sources}", f"--data-file={coverage_data}", *pytest_args,
        ]  # fmt: skip
    pythonpath = os.pathsep.join(
        p for p in (str(PLUGIN_DIR), os.environ.get("PYTHONPATH", "")) if p
    )
    env = {
        "PYTHONPATH": pythonpath,
        "MATURITY_PYTEST_REPORT": str(report_file),
        "MATURITY_REPO_ROOT": str(ctx.root),  # node ids as pytest prints them from there
        # per-test data needs a tracer that sees every execution of a line; the
        # sys.monitoring core (COVERAGE_CORE=sysmon) records a line once per run
        "COVERAGE_CORE": "ctrace",
        **(ctx.share.env if ctx.share is not None else {}),
    }
    if workers and coverage_data is not None:  # each xdist worker measures itself
        env |= {"MATURITY_COVERAGE_DATA": str(coverage_data), "MATURITY_COVERAGE_SOURCE": sources}
    for stale in report_file.parent.glob(report_file.name + ".gw*"):
        stale.unlink()
    run = run_tool(argv, cwd, ctx.timeout, env=env, cpus=workers or 1)
    merge_reports(report_file)
    facts.command = f"python -m pytest {' '.join(args)}" + (f" -n {workers}" if workers else "")
    if project != ".":
        facts.command = f"cd {project} && {facts.command}"
    facts.exit_status = run.returncode
    if run.error:
        facts.error = (
            f"pytest {run.error}" if "timed out" in run.error else diagnose_interpreter(ctx)
        ) or f"pytest {run.error}"
        return None
    error = _read_report(ctx, facts, report_file, run)
    if error:
        facts.error = error
        if not report_file.exists():
            facts.error = diagnose_interpreter(ctx) or error
        return None
    return run


def _read_report(
    ctx: RunContext, facts: TestRunFacts, report_file: Path, run: ToolRun
) -> str | None:
    try:
        payload: dict[str, Any] = json.loads(report_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"pytest exited {run.returncode} before reporting: {run.tail()}"
    except (OSError, ValueError) as exc:
        return f"unreadable pytest report {report_file}: {exc}"
    facts.rootdir = ctx.relpath(payload.get("rootdir") or ctx.root)
    facts.inifile = ctx.relpath(payload["inifile"]) if payload.get("inifile") else None
    facts.version = facts.pytest_version = payload.get("pytest_version")
    facts.interpreter_version = payload.get("python_version")
    facts.tests = [
        TestOutcome(
            nodeid=t["nodeid"],
            file=ctx.relpath(t["file"]),
            outcome=t["outcome"],
            markers=tuple(t["markers"]),
            message=t["message"],
            line=t["line"],
            duration=t.get("duration"),
        )
        for t in payload["tests"]
    ]
    facts.collection_errors = [
        CollectionError(nodeid=e["nodeid"], file=ctx.relpath(e["file"]), message=e["message"])
        for e in payload["collection_errors"]
    ]
    status = payload["exitstatus"]
    if status in (3, 4):
        return f"pytest {PYTEST_EXIT[status]} (exit {status}): {run.tail()}"
    stopped = payload.get("stopped")
    if stopped is None and status == 2:
        stopped = "pytest was interrupted (exit 2)"
    if stopped:
        not_run = sum(t.outcome == "not run" for t in facts.tests)
        facts.stopped = stopped
        total = len(facts.tests)
        return f"the test session did not complete: {stopped} ({not_run} of {total} tests not run)"
    if (payload.get("shard") or {}).get("order"):
        return None  # a shard: whether the run collected nothing is the merge's to say
    if status == 5 or (not facts.tests and not facts.collection_errors):
        return f"pytest collected no tests in {' '.join(facts.paths)} (pytest exit {status})"
    return None


class PytestCollector(Collector):
    """Runs the target's unit tests once, under coverage, and reads both reports."""

    name = "tests"
    title = "pytest + coverage"
    facts = TestRunFacts

    def inputs(self, ctx: RunContext) -> Inputs:
        """Every file of the repository and every installed package: a test may import
        or read anything."""
        return Inputs(files=everything, environment=True)

    def collect(self, ctx: RunContext) -> TestRunFacts:
        """Run pytest under coverage; report outcomes and per-file coverage."""
        facts = TestRunFacts(tool="pytest", path=ctx.interpreter, interpreter=ctx.interpreter)
        paths = unit_test_paths(ctx)
        missing = [p for p in paths if not (ctx.root / p).exists()]
        if not paths or missing:
            facts.error = (
                f"unit test path {missing[0]!r} does not exist"
                if missing
                else "no unit tests: neither tests/unit/ nor tests/ exists (set unit_tests)"
            )
            return facts
        ctx.run_dir.mkdir(parents=True, exist_ok=True)
        data_file = ctx.run_dir / DATA_FILE
        lines = ctx.run_dir / f"{DATA_FILE}-lines"  # the reader's, when sessions differ
        for stale in (data_file, lines, *ctx.run_dir.glob(f"{DATA_FILE}.*")):
            stale.unlink(missing_ok=True)  # a reused directory never lends old data
        shutil.rmtree(ctx.run_dir / SESSIONS_DIR, ignore_errors=True)
        plans = plan_sessions(ctx, paths)
        report = ctx.run_dir / "pytest.json"
        with ThreadPoolExecutor(max_workers=1) as pool:  # the import graph, while pytest runs
            imports = pool.submit(imports_of_tests, ctx, python_files(ctx.root, paths))
            if len(plans) == 1:
                workers = xdist_workers(ctx)
                project = plans[0].project
                ran = run_pytest(ctx, facts, paths, report, data_file, project, workers)
                facts.sessions = [session_of(facts, plans[0], data_file, ctx)]
                combine: list[Path] = []
            else:
                ran = run_sessions(ctx, facts, plans, report)
                combine = [ctx.root / s.data_file for s in facts.sessions if s.data_file]
            graph = imports.result()
        if ran is None:
            return facts
        files = {t.file for t in facts.tests}
        facts.imports = {f: found for f, found in graph.items() if f in files}
        if ctx.share is not None:
            return facts  # a shard's coverage is read once all shards' data is combined
        facts.coverage = read_coverage(ctx, data_file, report, combine)
        return facts


@dataclass
class SessionPlan:
    """One pytest process to run: from ``project`` (repo-relative), over ``paths``."""

    project: str
    paths: list[str]


def plan_sessions(ctx: RunContext, paths: list[str]) -> list[SessionPlan]:
    """The test paths grouped by the project directory each needs its session run from:
    its component's project directory, else the nearest directory at or above it holding
    a ``pyproject.toml``. One group (the ``src/<pkg>`` layout, tests at the root) is
    one session, exactly as before workspaces."""
    groups: dict[str, list[str]] = {}
    for path in paths:
        owner = next((c for c in ctx.project.components if any(path == t for t in c.tests)), None)
        project = owner.project if owner else project_directory(ctx.root, path)
        if not under(path, project):
            project = "."
        groups.setdefault(project, []).append(path)
    return [SessionPlan(project, group) for project, group in groups.items()]


def session_of(facts: TestRunFacts, plan: SessionPlan, data: Path, ctx: RunContext) -> TestSession:
    """The account of one session from the facts its run filled."""
    outcomes: dict[str, int] = {}
    for t in facts.tests:
        outcomes[t.outcome] = outcomes.get(t.outcome, 0) + 1
    return TestSession(
        project=plan.project,
        paths=list(plan.paths),
        rootdir=facts.rootdir,
        inifile=facts.inifile,
        interpreter=ctx.interpreter,
        command=facts.command or "",
        exit_status=facts.exit_status,
        outcomes=outcomes,
        collection_errors=len(facts.collection_errors),
        data_file=ctx.relpath(data) if _pieces(data) else None,
        error=facts.error,
    )


def _pieces(data: Path) -> list[Path]:
    """A session's data file and the pieces ``[run] parallel = true`` writes beside it."""
    return [p for p in (data, *data.parent.glob(data.name + ".*")) if p.exists()]


def run_sessions(
    ctx: RunContext, facts: TestRunFacts, plans: list[SessionPlan], report: Path
) -> bool | None:
    """Each plan in its own pytest process, concurrently within the CPU budget, each with
    its own coverage data file and plugin report (``sessions/<n>/``); the outcomes merged
    into ``facts`` and the per-test records into ``report``. A session that could not run
    or collect is a collection error of each of its paths, so its components are
    ``error``; None when no session ran at all."""
    base = ctx.run_dir / SESSIONS_DIR

    def one(index: int, plan: SessionPlan) -> tuple[TestRunFacts, TestSession, Path]:
        where = base / str(index)
        where.mkdir(parents=True, exist_ok=True)
        sub = TestRunFacts(tool="pytest", path=ctx.interpreter, interpreter=ctx.interpreter)
        data = where / DATA_FILE
        run_pytest(ctx, sub, plan.paths, where / "pytest.json", data, plan.project)
        return sub, session_of(sub, plan, data, ctx), where / "pytest.json"

    done = each(lambda i: one(i, plans[i]), list(range(len(plans))))
    facts.paths = [p for plan in plans for p in plan.paths]
    facts.command = " ; ".join(f"({s.command})" for _, s, _ in done)
    facts.sessions = [s for _, s, _ in done]
    per_test: dict[str, Any] = {"tests": [], "files": {}, "modules": {}}
    for sub, session, sub_report in done:
        fold_session(facts, sub, session.project, session.paths)
        merge_per_test(per_test, sub_report)
    rootdirs = {s.rootdir for s in facts.sessions}
    facts.rootdir = rootdirs.pop() if len(rootdirs) == 1 else "."
    report.write_text(json.dumps({"per_test": per_test}), encoding="utf-8")
    if all(sub.error for sub, _, _ in done):
        facts.error = "; ".join(f"{s.project}/: {s.error}" for s in facts.sessions)
        return None
    return True


def fold_session(facts: TestRunFacts, sub: TestRunFacts, project: str, paths: list[str]) -> None:
    """Add one session's outcomes to the run's; a session that could not run or collect
    is a collection error of each of its paths (their components are ``error``, the
    other sessions' stand)."""
    facts.tests += sub.tests
    facts.collection_errors += sub.collection_errors
    facts.version = facts.pytest_version = facts.pytest_version or sub.pytest_version
    facts.interpreter_version = facts.interpreter_version or sub.interpreter_version
    if sub.error:
        facts.collection_errors += [
            CollectionError(nodeid=p, file=p, message=f"session {project}/: {sub.error}")
            for p in paths
        ]


def merge_per_test(into: dict[str, Any], report: Path) -> None:
    """Add one session's per-test record (its node ids are repo-root based, so unique)."""
    try:
        record = json.loads(report.read_text(encoding="utf-8")).get("per_test")
    except (OSError, ValueError):
        return
    add_per_test(into, record)


def python_files(root: Path, paths: list[str]) -> list[str]:
    """The ``.py`` files of the test paths (repo-relative), hidden directories excluded."""
    found: set[str] = set()
    for rel in paths:
        path = root / rel
        candidates = [path] if path.is_file() else path.rglob("*.py")
        for file in candidates:
            parts = file.relative_to(root).parts
            if file.suffix == ".py" and not any(p.startswith(".") for p in parts[:-1]):
                found.add(file.relative_to(root).as_posix())
    return sorted(found)
