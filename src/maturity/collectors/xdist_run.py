"""The unit run under pytest-xdist (``[tool.maturity.tests] workers``), within the budget.

Each worker runs under coverage.py with its own data file (our plugin starts it in the
worker; the controller runs under ``coverage run --parallel-mode``), and writes its own
report: the tests it collected, the outcomes of those it ran and which files each ran.
``merge_reports`` folds the workers' reports into the controller's, in the plain
format, so the rest of the collector reads one report as without xdist; the data files
are combined by the coverage reader as ``coverage combine`` would.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from maturity.budget import jobs
from maturity.collectors.base import RunContext, run_tool

_PROBE = "import importlib.util, sys; sys.exit(importlib.util.find_spec('xdist') is None)"


def xdist_workers(ctx: RunContext) -> int | None:
    """How many xdist workers the unit run gets: ``tests.workers`` ('auto': the whole
    budget), at most the budget; None when unset, under 2, or the target's interpreter
    has no pytest-xdist (then one plain pytest process runs, as without the setting)."""
    wanted = ctx.project.config.tests.workers
    if wanted is None:
        return None
    budget = jobs()
    workers = budget if wanted == "auto" else min(wanted, budget)
    if workers < 2:
        return None
    probe = run_tool([ctx.interpreter, "-c", _PROBE], ctx.root, 120)
    return workers if probe.error is None and probe.returncode == 0 else None


def add_per_test(into: dict[str, Any], record: dict[str, Any] | None) -> None:
    """Append one pytest process's per-test record (which files each test ran, which
    modules each test module's import ran) to ``into``, test indexes shifted."""
    if not record:
        return
    offset = len(into["tests"])
    into["tests"] += record["tests"]
    for name, found in record["files"].items():
        into["files"].setdefault(name, []).extend(i + offset for i in found)
    for name, modules in (record.get("modules") or {}).items():
        into.setdefault("modules", {}).setdefault(name, []).extend(modules)


def merge_reports(report: Path) -> None:
    """Fold the workers' reports (``<report>.gw<n>``) into the controller's ``report``:
    every test collected (in the first worker's order), with the controller's outcome
    (what the workers sent it) else the worker's that ran it; collection errors once
    each; the per-test records concatenated. Nothing to do without workers' reports."""
    parts = sorted(report.parent.glob(report.name + ".gw*"))
    if not parts or not report.exists():
        return
    payload: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    sent = {t["nodeid"]: t for t in payload["tests"]}
    tests: dict[str, dict[str, Any]] = {}
    errors = {e["nodeid"]: e for e in payload["collection_errors"]}  # xdist forwards them
    per_test: dict[str, Any] = {"tests": [], "files": {}}
    for part in parts:
        worker: dict[str, Any] = json.loads(part.read_text(encoding="utf-8"))
        for test in worker["tests"]:
            have = tests.get(test["nodeid"])
            if have is None or (have["outcome"] == "not run" and test["outcome"] != "not run"):
                tests[test["nodeid"]] = test
        for error in worker["collection_errors"]:
            errors.setdefault(error["nodeid"], error)
        add_per_test(per_test, worker.get("per_test"))
    for nodeid, outcome in sent.items():
        test = tests.setdefault(nodeid, outcome)
        test.update(outcome=outcome["outcome"], message=outcome["message"])
    payload["tests"] = list(tests.values())
    payload["collection_errors"] = list(errors.values())
    payload["per_test"] = per_test
    report.write_text(json.dumps(payload), encoding="utf-8")
