"""``--changed-since``: re-run only the tests the changes can affect, carry the others.

REF's run kept, per measured file, the tests that ran any of its lines and the test
modules whose import ran it (our pytest plugin's per-test record). A changed component
file re-runs the test modules of those tests and those modules; a changed or new test
module is re-run; a deleted one is dropped. Module granularity: a module's tests run
together, as in the cold run.

Coverage is exact only if every file whose data is taken from the re-run has all of
its contributors re-run: so the set of re-run modules is closed over "every module
that ran a file that a re-run module ran at REF". Files no re-run module ran at REF keep
REF's data, and get the re-run's added (``CoverageData.update`` in the target's
interpreter, ``_in_target/maturity_coverage_merge.py``), so the figures are those of a
cold run; the data file is then read exactly as a cold run's is.

Everything else runs every test: a changed configuration file (``pyproject.toml``,
``pytest.ini``, ``conftest.py``…), a dependency file (lock files, requirements), a
Python file that is neither a component file nor a test module (a test helper: no
record says which tests import it), a data file. Markdown and reStructuredText files
are taken as never read by the tests.

Limits, as with any coverage-based selection (pytest-testmon has the same): state
shared between tests (a session fixture, a module-level cache) is credited to the
first test that ran it; code run while pytest starts (a plugin, a ``conftest.py`` in a
directory none of the re-run modules lies in) is credited to no test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from maturity.collectors.base import Collector, RunContext, in_any, is_config
from maturity.collectors.cache import PER_TEST_RECORD
from maturity.collectors.changes import Changes
from maturity.collectors.coverage_data import merge_coverage, new_facts
from maturity.collectors.imports import imports_of_tests
from maturity.collectors.pytest_run import (
    DATA_FILE,
    plan_sessions,
    python_files,
    run_pytest,
    run_sessions,
    unit_test_paths,
)
from maturity.collectors.snapshot import Snapshot
from maturity.facts import CoverageFacts, TestOutcome, TestRunFacts

DOCUMENTS = (".md", ".rst")
DEPENDENCY = re.compile(
    r"(^|/)(requirements[^/]*\.(txt|in)|constraints[^/]*\.txt|[^/]*\.lock|Pipfile|setup\.py"
    r"|pylock[^/]*\.toml)$"
)
TEST_MODULE = re.compile(r"(^|/)(test_[^/]*|[^/]*_test)\.py$")
RERUN = "changed"  # the re-run's own files, inside the run directory


def restore(ctx: RunContext, snapshot: Snapshot, collector: Collector, old: TestRunFacts) -> bool:
    """REF's test facts in this run: its data files copied into this run's directory,
    paths and commands pointed there; False when REF's data files are not kept."""
    files = snapshot.run_files(collector)
    if not files.is_dir() or snapshot.root != str(ctx.root.resolve()):
        return False  # not kept, or measured at another path: its data names other files
    shutil.copytree(files, ctx.run_dir, dirs_exist_ok=True)
    _moved(old, snapshot.run_dir(collector), ctx.relpath(ctx.run_dir))
    return True


def _moved(facts: TestRunFacts, old: str, new: str) -> None:
    if facts.coverage is not None:
        cov = facts.coverage
        cov.data_file = cov.data_file.replace(old, new) if cov.data_file else None
        cov.command = cov.command.replace(old, new) if cov.command else None
    for session in facts.sessions:
        session.data_file = session.data_file.replace(old, new) if session.data_file else None
        session.command = session.command.replace(old, new)


class Record:
    """REF's per-test record, by repo-relative paths."""

    def __init__(self, ctx: RunContext, old: TestRunFacts, raw: dict[str, Any], root: str):
        self.ctx = ctx
        self.raw = raw
        self.root = root
        self._real_root = os.path.realpath(root)
        self._rel: dict[str, str] = {}  # each name resolved once: the record repeats them
        file_of = {t.nodeid: t.file for t in old.tests}
        names: list[str] = raw["tests"]
        self.ran: dict[str, set[str]] = {}  # component file -> test modules that ran it
        for name, indexes in raw["files"].items():
            modules = {file_of[names[i]] for i in indexes if names[i] in file_of}
            self.ran.setdefault(self.rel(name), set()).update(modules)
        for name, modules in raw["modules"].items():
            self.ran.setdefault(self.rel(name), set()).update(self.rel(m) for m in modules)
        self.files_of: dict[str, set[str]] = {}  # test module -> component files it ran
        for file, modules in self.ran.items():
            for module in modules:
                self.files_of.setdefault(module, set()).add(file)

    def rel(self, name: str) -> str:
        """A name of REF's record (absolute, under REF's root; or relative to it, as
        coverage.py's ``[run] relative_files`` stores them) as a repo-relative path."""
        rel = self._rel.get(name)
        if rel is None:
            full = name if os.path.isabs(name) else os.path.join(self.root, name)
            rel = os.path.relpath(os.path.realpath(full), self._real_root).replace(os.sep, "/")
            self._rel[name] = rel
        return rel


def _plan(
    ctx: RunContext, old: TestRunFacts, record: Record, touched: list[str], existed: set[str]
) -> tuple[set[str], set[str], str | None]:
    """(test modules to re-run, component files whose data comes from the re-run alone,
    why every test must run instead or None)."""
    roots = ctx.project.roots
    test_paths = unit_test_paths(ctx) + list(old.paths)
    ref_modules = {t.file for t in old.tests} | {e.file for e in old.collection_errors}
    rerun: set[str] = {e.file for e in old.collection_errors}
    fresh: set[str] = set()  # component files taken from the re-run alone
    cov = old.coverage
    measured = set(cov.files) | set(cov.omitted) | set(cov.file_errors) if cov else set()
    for path in touched:
        if path.endswith(DOCUMENTS):
            continue
        if is_config(path) or DEPENDENCY.search(path):
            return set(), set(), f"{path} changed (configuration, conftest or dependencies)"
        if path.endswith(".py") and in_any(path, roots):
            if path in existed and path not in measured:
                why = "REF's coverage did not measure it ([run] omit?), so no record says"
                return set(), set(), f"{path} changed and {why} which tests ran it"
            fresh.add(path)
            rerun |= record.ran.get(path, set())
        elif (
            path.endswith(".py")
            and in_any(path, test_paths)
            and (path in ref_modules or TEST_MODULE.search(path))
        ):
            rerun.add(path)
        else:
            return set(), set(), f"{path} changed and no test's record says which tests read it"
    while True:  # close: a file taken from the re-run needs every module that ran it
        for module in rerun:
            fresh |= record.files_of.get(module, set())
        more = set().union(*(record.ran.get(f, set()) for f in fresh)) - rerun
        if not more:
            break
        rerun |= more
    return rerun, fresh, None


def changed_tests(
    ctx: RunContext,
    snapshot: Snapshot,
    changes: Changes,
    collector: Collector,
    old: TestRunFacts,
    touched: list[str],
) -> tuple[TestRunFacts | None, str]:
    """The tests the changes can affect re-run, REF's outcomes and coverage for the rest."""
    raw = snapshot.per_test(collector)
    old_run = snapshot.run_dir(collector)
    named = old.coverage.data_file if old.coverage else None
    if raw is None or named is None or not named.startswith(old_run + "/"):
        return None, "REF's per-test record is not kept"
    ref_data = snapshot.run_files(collector) / named.removeprefix(old_run + "/")
    if not ref_data.is_file():
        return None, "REF's coverage data is not kept"
    record = Record(ctx, old, raw, snapshot.root)
    gone = changes.gone
    existed = changes.modified | gone  # at REF: the others are new
    rerun, fresh, why = _plan(ctx, old, record, touched, existed)
    if why is not None:
        return None, why
    present = sorted(m for m in rerun if (ctx.root / m).is_file())
    every = python_files(ctx.root, unit_test_paths(ctx))
    if present and len(present) >= len({t.file for t in old.tests}):
        return None, "every test module is affected"
    kept, again = _imports_kept(ctx, changes, old, every)
    with ThreadPoolExecutor(max_workers=1) as pool:  # the import graph, while pytest runs
        imports = pool.submit(imports_of_tests, ctx, again)
        sub = _run(ctx, present)
        graph = kept | imports.result()
    if sub.error is not None:
        return sub, f"{len(present)} affected test modules re-run: {sub.error}"
    merged = _merge(ctx, old, sub, record, ref_data, rerun | gone, fresh | gone, graph)
    kept = len(merged.tests) - len(sub.tests)
    merged.carried = (
        f"{len(sub.tests)} tests of {len(present)} affected test modules re-run;"
        f" {kept} tests' outcomes and coverage carried from REF"
    )
    return merged, merged.carried


def _imports_kept(
    ctx: RunContext, changes: Changes, old: TestRunFacts, every: list[str]
) -> tuple[dict[str, list[str]], list[str]]:
    """REF's import graph of the test files that can keep it, and the test files whose
    graph must be read again. The graph follows a test file and the repository's helper
    modules, never component files, and resolves names to files that exist: so when files
    were only modified, and none of them is a helper, an unmodified test file imports what
    it imported at REF. Otherwise every test file is read again."""
    files = [p for p in changes.modified if p.endswith(".py")]
    helper = any(ctx.project.owner(p) is None and p not in old.imports for p in files)
    if changes.added or changes.deleted or changes.renamed or helper:
        return {}, every
    kept = {f: found for f, found in old.imports.items() if f not in changes.modified}
    return kept, [f for f in every if f not in kept]


def _run(ctx: RunContext, modules: list[str]) -> TestRunFacts:
    """The affected test modules, under coverage, in ``<run>/changed/``."""
    sub = TestRunFacts(tool="pytest", path=ctx.interpreter, interpreter=ctx.interpreter)
    if not modules:
        return sub
    where = ctx.run_dir / RERUN
    where.mkdir(parents=True, exist_ok=True)
    plans = plan_sessions(ctx, modules)
    if len(plans) == 1:
        run_pytest(ctx, sub, modules, where / PER_TEST_RECORD, where / DATA_FILE, plans[0].project)
    else:  # each session in <run>/sessions/<n>/
        run_sessions(ctx, sub, plans, where / PER_TEST_RECORD)
    if sub.error is not None and sub.exit_status == 5 and not sub.collection_errors:
        sub.error = None  # the affected modules hold no test any more
    return sub


def _merge(
    ctx: RunContext,
    old: TestRunFacts,
    sub: TestRunFacts,
    record: Record,
    ref_data: Path,
    replaced: set[str],
    drop: set[str],
    graph: dict[str, list[str]],
) -> TestRunFacts:
    """REF's facts for the modules not re-run, the re-run's for the others."""
    where = ctx.run_dir / RERUN
    data = ctx.run_dir / DATA_FILE
    runs = [str(where / DATA_FILE)]
    runs += [str(ctx.root / s.data_file) for s in sub.sessions if s.data_file]
    report = ctx.run_dir / PER_TEST_RECORD
    _merge_record(ctx, record, replaced, where / PER_TEST_RECORD, report)
    kept = [t for t in old.tests if t.file not in replaced]
    merged = TestRunFacts(
        tool=old.tool,
        version=old.version,
        path=old.path,
        command=old.command,
        paths=unit_test_paths(ctx),
        tests=kept + sub.tests,
        collection_errors=[e for e in old.collection_errors if e.file not in replaced]
        + sub.collection_errors,
        rootdir=old.rootdir,
        inifile=old.inifile,
        interpreter=old.interpreter,
        interpreter_version=old.interpreter_version,
        pytest_version=old.pytest_version,
        sessions=old.sessions,
    )
    merged.exit_status = _exit_status(merged.tests, bool(merged.collection_errors))
    files = {t.file for t in merged.tests}
    merged.imports = {f: found for f, found in graph.items() if f in files}
    for session in merged.sessions:
        mine = [t for t in merged.tests if merged.session_of(t.file) is session]
        session.outcomes = _counts(mine)
        session.exit_status = _exit_status(mine, False)
        session.data_file = ctx.relpath(data) if len(merged.sessions) == 1 else None
    error, again, fresh = merge_coverage(ctx, ref_data, record.root, drop, runs, data, report)
    if error is not None:
        merged.error = f"cannot merge REF's coverage data with the re-run's: {error}"
        return merged
    merged.coverage = _coverage(ctx, old, data, again, fresh)
    return merged


def _coverage(
    ctx: RunContext,
    old: TestRunFacts,
    data: Path,
    again: list[str],
    fresh: CoverageFacts | None,
) -> CoverageFacts:
    """The coverage facts: the component directories ``again`` (those holding a file whose
    data changed: taken from the re-run, or run by it) as read from the merged data file
    (``fresh``); REF's figures for every other file (no re-run test ran them, and REF's
    tests of them all kept)."""
    if fresh is None:
        fresh = new_facts(ctx, data)
        fresh.has_contexts = True
    ref = old.coverage
    if fresh.error is not None or ref is None:
        return fresh

    def kept(file: str) -> bool:
        return not in_any(file, again)

    fresh.version = fresh.version or ref.version
    fresh.has_contexts = fresh.has_contexts or ref.has_contexts
    fresh.omit = fresh.omit if again else ref.omit
    fresh.files = {f: c for f, c in ref.files.items() if kept(f)} | fresh.files
    fresh.file_errors = {f: e for f, e in ref.file_errors.items() if kept(f)} | fresh.file_errors
    fresh.omitted = {f: t for f, t in ref.omitted.items() if kept(f)} | fresh.omitted
    return fresh


def _counts(tests: list[TestOutcome]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for t in tests:
        counts[t.outcome] = counts.get(t.outcome, 0) + 1
    return counts


def _exit_status(tests: list[TestOutcome], errors: bool) -> int:
    """pytest's exit status for these outcomes: 1 with a failure, 5 with no test, else 0."""
    if errors or any(t.outcome in ("failed", "error") for t in tests):
        return 1
    return 0 if tests else 5


def _merge_record(
    ctx: RunContext, record: Record, replaced: set[str], rerun: Path, out: Path
) -> None:
    """REF's per-test record without the replaced modules' tests, plus the re-run's."""
    names: list[str] = []
    files: dict[str, list[int]] = {}
    modules: dict[str, list[str]] = {}
    root = str(ctx.root)

    def moved(name: str) -> str:  # a relative name (relative_files) is the data file's too
        return os.path.join(root, record.rel(name)) if os.path.isabs(name) else name

    raw = record.raw
    keep = {}
    for index, name in enumerate(raw["tests"]):
        file = name.split("::", 1)[0]
        if file not in replaced:
            keep[index] = len(names)
            names.append(name)
    for name, indexes in raw["files"].items():
        kept = [keep[i] for i in indexes if i in keep]
        if kept:
            files.setdefault(moved(name), []).extend(kept)
    for name, paths in raw["modules"].items():
        left = [moved(p) for p in paths if record.rel(p) not in replaced]
        if left:
            modules.setdefault(moved(name), []).extend(left)
    try:
        new = json.loads(rerun.read_text(encoding="utf-8")).get("per_test") or {}
    except (OSError, ValueError):
        new = {}
    offset = len(names)
    names += new.get("tests", [])
    for name, indexes in (new.get("files") or {}).items():
        files.setdefault(name, []).extend(i + offset for i in indexes)
    for name, paths in (new.get("modules") or {}).items():
        modules.setdefault(name, []).extend(paths)
    payload = {"per_test": {"tests": names, "files": files, "modules": modules}}
    out.write_text(json.dumps(payload), encoding="utf-8")
