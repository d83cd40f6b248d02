"""The coverage data of the unit run, read with coverage.py's API in the target's interpreter.

The in-target reader (``_in_target/maturity_coverage_reader.py``) reads only the files of
the components, never exports the whole data file: per file its statements, branches,
missing lines and the tests that ran it (from our pytest plugin's per-test record). With
several test sessions (a workspace), their data files are first combined into one, and
each component's files are read from its project directory, under that directory's
coverage configuration.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from maturity.budget import each
from maturity.collectors.base import RunContext, run_tool
from maturity.facts import CoverageFacts, FileCoverage
from maturity.paths import under

READER = Path(__file__).parent / "_in_target" / "maturity_coverage_reader.py"
MERGER = READER.with_name("maturity_coverage_merge.py")


def new_facts(ctx: RunContext, data_file: Path) -> CoverageFacts:
    """Coverage facts of ``data_file``, nothing read yet (its check-by-hand command)."""
    return CoverageFacts(
        tool="coverage",
        path=ctx.interpreter,
        data_file=ctx.relpath(data_file),
        command=f"coverage report --data-file={ctx.relpath(data_file)}",
    )


def read_coverage(
    ctx: RunContext,
    data_file: Path,
    pytest_report: Path | None = None,
    sessions: list[Path] | None = None,
    roots: list[str] | None = None,
) -> CoverageFacts:
    """Read the data file with coverage.py's API in the target's interpreter, for the
    component files only (never an export of the whole file: its contexts can be GBs);
    the tests of each file from our plugin's report when it recorded them.

    ``sessions`` are the data files of several sessions: they are first combined into
    ``data_file``. Each component's files are read from its project directory, under
    that directory's coverage configuration (one reader per project directory).
    ``roots``: only the files of these component directories (``--changed-since``)."""
    facts = new_facts(ctx, data_file)
    wanted = ctx.project.roots if roots is None else roots
    groups: dict[str, list[str]] = {}
    for comp in ctx.project.components:
        if comp.path in wanted:
            groups.setdefault(comp.project, []).append(comp.path)
    if list(groups) == ["."]:
        groups = {".": [r for r in ctx.project.roots if r in wanted]}  # one reader, as before
    per_test = [f"--per-test={pytest_report}"] if pytest_report is not None else []
    if sessions or len(groups) > 1:
        combine = [f"--combine={p}" for p in sessions or []]
        out = ctx.run_dir / "coverage-combine.json"
        everywhere = [str(ctx.root / r) for r in wanted]
        argv = [ctx.interpreter, str(READER), *combine, "--no-read", str(data_file), str(out)]
        payload = _reader(ctx, [*argv, *everywhere], ctx.root, out)
        if payload.get("error"):
            facts.error = f"cannot combine the sessions' coverage data: {payload['error']}"
            return facts

    def one(item: tuple[int, tuple[str, list[str]]]) -> dict[str, Any]:
        index, (project, roots) = item
        out = ctx.run_dir / f"coverage-files-{index}.json"
        shown = roots if project == "." else [str(ctx.root / r) for r in roots]
        argv = [ctx.interpreter, str(READER), *per_test, str(data_file), str(out), *shown]
        return _reader(ctx, argv, ctx.root / project, out)

    payloads = each(one, list(enumerate(groups.items())))
    for project, payload in zip(groups, payloads, strict=True):
        if payload.get("error"):
            facts.error = f"cannot read the coverage data: {payload['error']}"
            return facts
        _add_payload(ctx, facts, payload)
        if project != "." and payload.get("data_file"):
            facts.read_from[project] = ctx.relpath(payload["data_file"])
            facts.omit_in[project] = list(payload.get("omit") or [])
    return facts


def merge_coverage(
    ctx: RunContext,
    ref: Path,
    ref_root: str,
    drop: set[str],
    runs: list[str],
    data_file: Path,
    pytest_report: Path,
) -> tuple[str | None, list[str], CoverageFacts | None]:
    """``--changed-since``: REF's data (``ref``, measured under ``ref_root``; the files of
    ``drop`` left out) and the re-runs' data files merged into ``data_file`` with
    coverage.py's API in the target's interpreter (``_in_target/maturity_coverage_merge.py``),
    then the component directories whose data changed (a dropped file, or one a re-run
    ran a line of) read from it. Without a workspace both happen in one in-target process
    (the reader's ``--merge``). The merge's error or None, the directories read, and their
    coverage facts (None when no directory's data changed)."""
    where = ctx.run_dir / "coverage-merge"
    where.mkdir(parents=True, exist_ok=True)
    args_file, result = where / "args.json", where / "result.json"
    args = {
        "ref": str(ref),
        "ref_root": ref_root,
        "root": str(ctx.root),
        "drop": sorted(drop),
        "runs": runs,
        "out": str(data_file),
        "result": str(result),
    }
    args_file.write_text(json.dumps(args), encoding="utf-8")
    result.unlink(missing_ok=True)
    if {c.project for c in ctx.project.components} == {"."}:  # one reader, from the root
        return _merged_then_read(ctx, args_file, data_file, pytest_report)
    run = run_tool([ctx.interpreter, str(MERGER), str(args_file)], ctx.root, ctx.timeout)
    try:
        payload = json.loads(result.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"the merge failed: {run.error or run.tail()}", [], None
    if payload.get("error"):
        return str(payload["error"]), [], None
    ran = [ctx.relpath(ctx.root / f) for f in payload.get("ran") or []]  # f may be relative
    changed = drop | set(ran)
    again = [r for r in ctx.project.roots if any(under(f, r) for f in changed)]
    fresh = read_coverage(ctx, data_file, pytest_report, [], roots=again) if again else None
    return None, again, fresh


def _merged_then_read(
    ctx: RunContext, merge_args: Path, data_file: Path, pytest_report: Path
) -> tuple[str | None, list[str], CoverageFacts | None]:
    """``merge_coverage`` in one in-target process: the reader's ``--merge``."""
    out = ctx.run_dir / "coverage-files-0.json"
    argv = [ctx.interpreter, str(READER), f"--merge={merge_args}", f"--per-test={pytest_report}"]
    payload = _reader(ctx, [*argv, str(data_file), str(out), *ctx.project.roots], ctx.root, out)
    if payload.get("merge_error"):
        return str(payload["merge_error"]), [], None
    again: list[str] = [ctx.relpath(ctx.root / r) for r in payload.get("roots") or []]
    if not again and not payload.get("error"):
        return None, [], None
    facts = new_facts(ctx, data_file)
    if payload.get("error"):
        facts.error = f"cannot read the coverage data: {payload['error']}"
    else:
        _add_payload(ctx, facts, payload)
    return None, again, facts


def _reader(ctx: RunContext, argv: list[str], cwd: Path, out: Path) -> dict[str, Any]:
    """Run the in-target coverage reader and load what it wrote."""
    run = run_tool(argv, cwd, ctx.timeout)
    try:
        payload: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        payload = {"error": f"the coverage reader failed: {run.error or run.tail()}"}
    finally:
        out.unlink(missing_ok=True)
    return payload


def _add_payload(ctx: RunContext, facts: CoverageFacts, payload: dict[str, Any]) -> None:
    """One reader's figures into the facts (file names absolute in, repo-relative out)."""
    names: list[str] = payload["contexts"]
    facts.version = payload.get("version")
    facts.has_contexts = True
    facts.omit = sorted({*facts.omit, *(payload.get("omit") or [])})
    facts.omitted |= {
        ctx.relpath(f): frozenset(names[i] for i in tests)
        for f, tests in (payload.get("omitted") or {}).items()
    }
    facts.file_errors |= {ctx.relpath(f): why for f, why in payload["errors"].items()}
    for name, data in payload["files"].items():
        facts.files[ctx.relpath(name)] = FileCoverage(
            statements=data["statements"],
            covered=data["covered"],
            branches=data["branches"],
            covered_branches=data["covered_branches"],
            missing_lines=data["missing"],
            tests=frozenset(names[i] for i in data["tests"]),
        )
