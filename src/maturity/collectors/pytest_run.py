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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from maturity.collectors.base import Collector, Inputs, RunContext, ToolRun, everything, run_tool
from maturity.collectors.imports import imports_of_tests
from maturity.facts import CollectionError, CoverageFacts, FileCoverage, TestOutcome, TestRunFacts

PLUGIN_DIR = Path(__file__).parent / "_in_target"
PLUGIN = "maturity_pytest_plugin"
READER = PLUGIN_DIR / "maturity_coverage_reader.py"
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
    ]  # fmt: skip
    argv = [ctx.interpreter, *pytest_args]
    if coverage_data is not None:
        sources = ",".join(ctx.project.roots)
        argv = [
            ctx.interpreter, "-m", "coverage", "run",
            f"--source={sources}", f"--data-file={coverage_data}", *pytest_args,
        ]  # fmt: skip
    pythonpath = os.pathsep.join(
        p for p in (str(PLUGIN_DIR), os.environ.get("PYTHONPATH", "")) if p
    )
    env = {
        "PYTHONPATH": pythonpath,
        "MATURITY_PYTEST_REPORT": str(report_file),
        # per-test data needs a tracer that sees every execution of a line; the
        # sys.monitoring core (COVERAGE_CORE=sysmon) records a line once per run
        "COVERAGE_CORE": "ctrace",
    }
    run = run_tool(argv, ctx.root, ctx.timeout, env=env)
    facts.command = f"python -m pytest {' '.join(paths)}"
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
        for stale in (data_file, *ctx.run_dir.glob(f"{DATA_FILE}.*")):
            stale.unlink(missing_ok=True)  # a reused directory never lends old data
        with ThreadPoolExecutor(max_workers=1) as pool:  # the import graph, while pytest runs
            imports = pool.submit(imports_of_tests, ctx, python_files(ctx.root, paths))
            ran = run_pytest(ctx, facts, paths, ctx.run_dir / "pytest.json", data_file)
            graph = imports.result()
        if ran is None:
            return facts
        files = {t.file for t in facts.tests}
        facts.imports = {f: found for f, found in graph.items() if f in files}
        facts.coverage = read_coverage(ctx, data_file, ctx.run_dir / "pytest.json")
        return facts


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


def read_coverage(
    ctx: RunContext, data_file: Path, pytest_report: Path | None = None
) -> CoverageFacts:
    """Read the data file with coverage.py's API in the target's interpreter, for the
    component files only (never an export of the whole file: its contexts can be GBs);
    the tests of each file from our plugin's report when it recorded them."""
    out = ctx.run_dir / "coverage-files.json"
    facts = CoverageFacts(
        tool="coverage",
        path=ctx.interpreter,
        data_file=ctx.relpath(data_file),
        command=f"coverage report --data-file={ctx.relpath(data_file)}",
    )
    per_test = [f"--per-test={pytest_report}"] if pytest_report is not None else []
    argv = [ctx.interpreter, str(READER), *per_test, str(data_file), str(out), *ctx.project.roots]
    run = run_tool(argv, ctx.root, ctx.timeout)
    try:
        payload: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        payload = {"error": f"the coverage reader failed: {run.error or run.tail()}"}
    finally:
        out.unlink(missing_ok=True)
    if payload.get("error"):
        facts.error = f"cannot read the coverage data: {payload['error']}"
        return facts
    names: list[str] = payload["contexts"]
    facts.version = payload.get("version")
    facts.has_contexts = True
    facts.omit = list(payload.get("omit") or [])
    facts.omitted = {
        ctx.relpath(f): frozenset(names[i] for i in tests)
        for f, tests in (payload.get("omitted") or {}).items()
    }
    facts.file_errors = {ctx.relpath(f): why for f, why in payload["errors"].items()}
    for name, data in payload["files"].items():
        facts.files[ctx.relpath(name)] = FileCoverage(
            statements=data["statements"],
            covered=data["covered"],
            branches=data["branches"],
            covered_branches=data["covered_branches"],
            missing_lines=data["missing"],
            tests=frozenset(names[i] for i in data["tests"]),
        )
    return facts
