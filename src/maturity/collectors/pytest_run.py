"""The single pytest run with coverage, in the target's own interpreter.

One ``coverage run --source=<component dirs> -m pytest <unit test paths>`` for the
whole repository. Our pytest plugin (which imports nothing from maturity) records
each test's outcome and markers and switches coverage's dynamic context to the test
id, so every covered line says which tests ran it. The coverage data file is kept in
``.maturity/run/`` so every figure can be checked with ``coverage report``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from maturity.collectors.base import RunContext, ToolRun, run_tool
from maturity.facts import (
    CollectionError,
    CoverageFacts,
    FileCoverage,
    TestOutcome,
    TestRunFacts,
)

PLUGIN_DIR = Path(__file__).parent / "_pytest_plugin"
PLUGIN = "maturity_pytest_plugin"
DATA_FILE = ".coverage"
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
    "import importlib.util\n"
    "cov = 'cov' if importlib.util.find_spec('pytest_cov') else 'nocov'\n"
    "print('ok', sys.version.split()[0], pytest.__version__, coverage.__version__, cov)\n"
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


def probe_interpreter(ctx: RunContext, facts: TestRunFacts) -> str | None:
    """Check the target interpreter has pytest and coverage; fill the versions.

    Returns coverage's version, or None with ``facts.error`` set.
    """
    probe = run_tool([ctx.interpreter, "-c", _PROBE], ctx.root, 120)
    words = probe.stdout.split()
    if probe.error or probe.returncode != 0 or not words:
        facts.error = f"cannot run the target interpreter {ctx.interpreter}: " + (
            probe.error or probe.tail()
        )
        return None
    if words[0] == "missing":
        facts.error = f"{words[1]} is not installed in the target interpreter {ctx.interpreter}"
        return None
    facts.interpreter_version, facts.pytest_version, coverage_version = words[1:4]
    # pytest-cov in the target (e.g. --cov in its addopts) would measure a second time
    # inside our coverage run and clobber it: ask it to stand down with --no-cov.
    facts.pytest_cov = words[4:5] == ["cov"]
    facts.version = facts.pytest_version
    return coverage_version


def run_pytest(
    ctx: RunContext,
    facts: TestRunFacts,
    paths: list[str],
    report_file: Path,
    coverage_data: Path | None = None,
) -> ToolRun | None:
    """One pytest run of ``paths`` with our recorder plugin, optionally under coverage.

    Fills ``facts`` (tests, collection errors, exit status, command) from the plugin's
    JSON report, never from the exit code alone; sets ``facts.error`` when it could not.
    """
    facts.paths = paths
    report_file.unlink(missing_ok=True)
    pytest_args = [
        "-m", "pytest", *paths,
        "-p", PLUGIN,
        "-p", "no:cacheprovider",
        "--continue-on-collection-errors",
        "-q",
        *(["--no-cov"] if facts.pytest_cov else []),
    ]  # fmt: skip
    argv = [ctx.interpreter, *pytest_args]
    if coverage_data is not None:
        sources = ",".join(c.path for c in ctx.project.components)
        argv = [
            ctx.interpreter, "-m", "coverage", "run",
            f"--source={sources}", f"--data-file={coverage_data}", *pytest_args,
        ]  # fmt: skip
    pythonpath = os.pathsep.join(
        p for p in (str(PLUGIN_DIR), os.environ.get("PYTHONPATH", "")) if p
    )
    env = {"PYTHONPATH": pythonpath, "MATURITY_PYTEST_REPORT": str(report_file)}
    run = run_tool(argv, ctx.root, ctx.timeout, env=env)
    facts.command = f"python -m pytest {' '.join(paths)}"
    facts.exit_status = run.returncode
    if run.error:
        facts.error = f"pytest {run.error}"
        return None
    error = _read_report(ctx, facts, report_file, run)
    if error:
        facts.error = error
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
    facts.tests = [
        TestOutcome(
            nodeid=t["nodeid"],
            file=ctx.relpath(t["file"]),
            outcome=t["outcome"],
            markers=tuple(t["markers"]),
            message=t["message"],
            line=t["line"],
        )
        for t in payload["tests"]
    ]
    facts.collection_errors = [
        CollectionError(nodeid=e["nodeid"], file=ctx.relpath(e["file"]), message=e["message"])
        for e in payload["collection_errors"]
    ]
    status = payload["exitstatus"]
    if status == 5 or (not facts.tests and not facts.collection_errors):
        return f"pytest collected no tests in {' '.join(facts.paths)} (pytest exit {status})"
    if status in (3, 4):
        return f"pytest {PYTEST_EXIT[status]} (exit {status}): {run.tail()}"
    return None


class PytestCollector:
    """Runs the target's unit tests once, under coverage, and reads both reports."""

    name = "tests"
    title = "pytest + coverage"

    def collect(self, ctx: RunContext) -> TestRunFacts:
        """Run pytest under coverage; report outcomes and per-file coverage."""
        facts = TestRunFacts(tool="pytest", path=ctx.interpreter, interpreter=ctx.interpreter)
        coverage_version = probe_interpreter(ctx, facts)
        if coverage_version is None:
            return facts
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
        parallel = list(ctx.run_dir.glob(f"{DATA_FILE}.*"))
        for stale in (data_file, ctx.run_dir / "coverage.json", *parallel):
            stale.unlink(missing_ok=True)
        if run_pytest(ctx, facts, paths, ctx.run_dir / "pytest.json", data_file) is None:
            return facts
        facts.coverage = read_coverage(ctx, data_file, coverage_version)
        return facts


def read_coverage(ctx: RunContext, data_file: Path, version: str) -> CoverageFacts:
    """Export the coverage data as JSON with contexts, using the target's coverage."""
    json_file = ctx.run_dir / "coverage.json"
    facts = CoverageFacts(
        tool="coverage",
        version=version,
        path=ctx.interpreter,
        data_file=ctx.relpath(data_file),
        command=f"coverage report --data-file={ctx.relpath(data_file)}",
    )
    parallel = sorted(data_file.parent.glob(f"{data_file.name}.*"))
    if not data_file.exists() and parallel:
        # the target's config says [run] parallel = true: combine, as `coverage combine` would
        argv = [ctx.interpreter, "-m", "coverage", "combine", f"--data-file={data_file}"]
        run = run_tool([*argv, *map(str, parallel)], ctx.root, ctx.timeout)
        if run.error or run.returncode != 0:
            facts.error = f"coverage combine failed: {run.error or run.tail()}"
            return facts
    if not data_file.exists():
        facts.error = "coverage wrote no data file (did the test run start?)"
        return facts
    argv = [
        ctx.interpreter, "-m", "coverage", "json",
        f"--data-file={data_file}", "-o", str(json_file), "--show-contexts",
    ]  # fmt: skip
    run = run_tool(argv, ctx.root, ctx.timeout)
    if run.error or run.returncode != 0:
        facts.error = f"coverage json failed: {run.error or run.tail()}"
        return facts
    try:
        payload: dict[str, Any] = json.loads(json_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        facts.error = f"unreadable coverage JSON {json_file}: {exc}"
        return facts
    facts.has_contexts = True
    for name, data in payload.get("files", {}).items():
        summary = data["summary"]
        contexts = {
            int(line): [c for c in names if c] for line, names in data.get("contexts", {}).items()
        }
        facts.files[ctx.relpath(name)] = FileCoverage(
            statements=summary["num_statements"],
            covered=summary["covered_lines"],
            branches=summary.get("num_branches", 0),
            covered_branches=summary.get("covered_branches", 0),
            missing_lines=list(data.get("missing_lines", [])),
            contexts={line: names for line, names in contexts.items() if names},
        )
    return facts
