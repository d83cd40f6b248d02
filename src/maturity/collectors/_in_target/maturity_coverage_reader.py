"""Read a coverage data file with coverage.py's own API, in the TARGET's interpreter.

It runs where the target's tests ran (its coverage version, its configuration file, its
plugins), so it imports nothing from maturity. It reads only the files under the given
component roots, never exports the whole data file: per file it writes statement and
branch numbers (what ``coverage report`` prints), the missing lines, and the tests
that ran any of its lines: from our pytest plugin's per-test record when it has one
(``--per-test=PYTEST_JSON``), else from the data file's dynamic contexts. A file
coverage cannot analyse (e.g. it cannot parse it) is reported as that file's error; the
others are still read.

    python maturity_coverage_reader.py [--per-test=PYTEST_JSON] [--combine=DATA_FILE]...
        [--no-read] [--merge=ARGS_JSON] DATA_FILE OUT_JSON ROOT...

ROOTs are directories, absolute or relative to the current directory (the component's
project directory, whose coverage configuration applies). ``--combine`` first merges
the given data files (each session's, and its ``parallel = true`` pieces) into DATA_FILE
with ``Coverage.combine``, keeping them (sessions measuring branches and sessions measuring
lines: the branch ones, and all as lines into ``DATA_FILE-lines``, read where the
configuration measures lines). Files under the ROOTs that no test imported are
added to the data file as 0% covered, namespace packages (directories without
``__init__.py``) included, as ``coverage run`` does with ``[report]
include_namespace_packages = true``; ``--no-read`` stops there. File names in the output
are absolute.

``--merge`` (``--changed-since``) first writes DATA_FILE as ``maturity_coverage_merge.py``
does with the same ARGS_JSON (REF's data and the re-run's), in this same process, then
reads only the ROOTs holding a file whose data changed (dropped or ran by the re-run);
the output adds ``ran`` (the files the re-run ran a line of) and ``roots`` (those read).
"""

from __future__ import annotations

import fnmatch
import glob
import json
import os
import sqlite3
import sys
from collections.abc import Callable
from typing import Any

if os.path.dirname(os.path.abspath(__file__)) not in sys.path:  # loaded by file, not run
    sys.path.append(os.path.dirname(os.path.abspath(__file__)))
# its sibling (also run on its own): the schema coverage.py documents, a data file's pieces
from maturity_coverage_merge import KNOWN_SCHEMA, merge, pieces

LINES_SUFFIX = "-lines"  # beside the data file: every session as lines (see combine)


def _contexts_by_file(data_file: str) -> dict[str, set[str]] | None:
    """Every file's contexts in one query on the data file, when its schema is the one
    coverage.py documents (``coverage_schema`` version 7); None otherwise.

    ``CoverageData.contexts_by_lineno`` answers the same per file, but builds a map of
    every line to every test that ran it (for branch data, a string per arc row): on a
    big suite that is the largest thing in memory. Only the set per file is needed.
    """
    uri = f"file:{data_file}?mode=ro"
    paths: dict[int, str] = {}
    contexts: dict[int, str] = {}
    pairs: set[tuple[int, int]] = set()
    try:
        with sqlite3.connect(uri, uri=True) as con:
            [(version,)] = con.execute("SELECT version FROM coverage_schema").fetchall()
            if version != KNOWN_SCHEMA:
                return None
            paths = dict(con.execute("SELECT id, path FROM file"))
            contexts = dict(con.execute("SELECT id, context FROM context"))
            for file_id, context_id, numbits in con.execute(
                "SELECT file_id, context_id, numbits FROM line_bits"
            ):
                if any(numbits):  # a row for a file touched with no line run
                    pairs.add((file_id, context_id))
            pairs.update(con.execute("SELECT DISTINCT file_id, context_id FROM arc"))
    except (sqlite3.Error, ValueError):
        return None
    found: dict[str, set[str]] = {}
    for file_id, context_id in pairs:
        found.setdefault(paths[file_id], set()).add(contexts[context_id])
    return found


def _should_be_python(path: str) -> bool:
    """coverage.py's own test (``PythonFileReporter.should_be_python``): a ``.py*`` file or
    one without an extension. Files measured under other names (Jinja2 and Mako templates
    compile to code objects named after the template) are skipped by ``coverage report``
    when they cannot be parsed, and so here."""
    ext = os.path.splitext(path)[1]
    return ext.startswith(".py") or not ext


def _under(path: str, root: str) -> bool:
    """True when an absolute ``path`` is the absolute ``root`` or lies inside it."""
    root = root.rstrip(os.sep) or os.sep
    return path == root or path.startswith(root + os.sep) or root == os.sep


def _omit_matcher(patterns: list[str]) -> Any:
    """A predicate for the target's ``[report] omit`` patterns, as coverage.py matches them."""
    if not patterns:
        return lambda path: False
    try:
        from coverage.files import GlobMatcher, prep_patterns

        matcher = GlobMatcher(prep_patterns(patterns), "report_omit")
        return matcher.match
    except ImportError:  # pragma: no cover - a coverage.py without these helpers
        full = [p if p.startswith(("*", "?")) else os.path.abspath(p) for p in patterns]
        return lambda path: any(fnmatch.fnmatch(path, p) for p in full)


def _figures(cov: Any, measured: str, branch: bool, fast: bool) -> dict[str, Any]:
    """Statements, missing lines and branches of one file, as ``coverage report`` counts.

    One analysis per file (``Coverage._analyze``, what coverage.py's reporters use) when
    this coverage.py has it; else the public ``analysis2`` and ``branch_stats``, which
    parse the file once each (twice the time, the same figures).
    """
    analyze = getattr(cov, "_analyze", None) if fast else None
    if analyze is not None:
        analysis = analyze(measured)
        numbers = analysis.numbers
        statements, missing = analysis.statements, analysis.missing
        branches = numbers.n_branches if branch else 0
        covered_branches = branches - numbers.n_missing_branches if branch else 0
    else:
        _, statements, _, missing, _ = cov.analysis2(measured)
        stats = cov.branch_stats(measured).values() if branch else []
        branches = sum(total for total, _ in stats)
        covered_branches = sum(taken for _, taken in stats)
    return {
        "statements": len(statements),
        "covered": len(statements) - len(missing),
        "missing": sorted(missing),
        "branches": branches,
        "covered_branches": covered_branches,
    }


def _per_test(report: str | None) -> dict[str, set[str]] | None:
    """The tests that ran each measured file, as our pytest plugin recorded them; None
    when there is no such record (then the data file's contexts say it)."""
    if not report:
        return None
    with open(report, encoding="utf-8") as fh:
        record = json.load(fh).get("per_test")
    if not record:
        return None
    tests: list[str] = record["tests"]
    return {name: {tests[i] for i in found} for name, found in record["files"].items()}


def combine(cov: Any, data_file: str, sources: list[str]) -> None:
    """Merge the sessions' data files into the one ``cov`` writes (kept: each session's
    data file stays checkable on its own).

    coverage.py cannot merge branch data with line data: when some members measure
    branches (``[run] branch = true`` in their own configuration) and others do not, the
    data file holds the branch sessions, and ``DATA_FILE-lines`` every session as lines
    (a branch session's executed lines are exact), read for the members measuring lines."""
    from coverage import CoverageData

    lines_file = data_file + LINES_SUFFIX
    if os.path.exists(lines_file):
        os.remove(lines_file)
    files = [p for source in sources for p in pieces(source)]
    if not files:
        return
    datas = [CoverageData(p) for p in files]
    for data in datas:
        data.read()
    arcs = [p for p, data in zip(files, datas, strict=True) if data.has_arcs()]
    if arcs and len(arcs) < len(files):
        lines = CoverageData(lines_file)
        for data in datas:
            if data.has_arcs():
                lines.add_lines({f: data.lines(f) or [] for f in data.measured_files()})
            else:
                lines.update(data)
        lines.write()
        files = arcs
    cov.combine(data_paths=files, strict=True, keep=True)
    cov.save()


def touch_unexecuted(cov: Any, data: Any, roots: list[str]) -> None:
    """Add every Python file under ``roots`` that no test imported, as 0% covered, the
    files of namespace packages included (``coverage run --source`` skips a directory
    without ``__init__.py`` unless ``include_namespace_packages`` is set); the
    target's ``[run] omit`` is honoured as coverage.py does."""
    from coverage.files import canonical_filename, find_python_files

    omitted = _omit_matcher(list(cov.config.run_omit or []))
    measured = {canonical_filename(f) for f in data.measured_files()}
    new: list[str] = []
    for root in roots:
        if not os.path.isdir(root):
            continue
        for path in find_python_files(os.path.abspath(root), True):
            name = canonical_filename(path)
            parts = os.path.relpath(name, os.path.abspath(root)).split(os.sep)
            if any(p.startswith(".") or p == "__pycache__" for p in parts[:-1]):
                continue
            if name not in measured and not omitted(name):
                new.append(name)
    if new:
        data.touch_files(new)


def read(
    data_file: str,
    roots: list[str],
    fast: bool = True,
    per_test: str | None = None,
    sources: list[str] | None = None,
    only_prepare: bool = False,
) -> dict[str, Any]:
    """Everything maturity needs from the data file, for the files under ``roots``.

    ``fast=False`` takes the slower public paths only (``contexts_by_lineno``,
    ``analysis2`` and ``branch_stats``): the same answer, used when the fast ones are
    missing. ``per_test`` is our pytest plugin's report, naming the tests of each file."""
    import coverage

    cov = coverage.Coverage(data_file=data_file)
    if sources:
        combine(cov, data_file, sources)
    elif not cov.config.branch and os.path.exists(data_file + LINES_SUFFIX):
        # sessions measured both ways (see combine): this directory measures lines
        data_file += LINES_SUFFIX
        cov = coverage.Coverage(data_file=data_file)
    parallel = glob.glob(glob.escape(data_file) + ".*")
    if not os.path.exists(data_file) and parallel:
        # the target's config says [run] parallel = true: combine as `coverage combine` would
        cov.combine(data_paths=parallel, strict=True)
        cov.save()
    if not os.path.exists(data_file):
        return {"error": "coverage wrote no data file (did the test run start?)"}
    cov.load()
    data = cov.get_data()
    touch_unexecuted(cov, data, roots)
    if only_prepare:
        return {}
    absolute_roots = [os.path.realpath(r) for r in roots]
    branch = data.has_arcs()
    static = cov.config.context or ""
    prefix = static + "|" if static else ""  # a static context labels each test's context
    # [run] omit too: what this directory's configuration never measures may still be in
    # the combined data (another member's session, or listed unexecuted from the root)
    omit = [*(cov.config.report_omit or []), *cov.config.run_omit]
    omitted = _omit_matcher(omit)
    by_file = _per_test(per_test)
    if by_file is None and fast:
        by_file = _contexts_by_file(data_file)
    contexts_of: Callable[[str], set[str]] = (
        (lambda f: by_file.get(f, set()))
        if by_file is not None
        else (lambda f: {c for cs in data.contexts_by_lineno(f).values() for c in cs})
    )
    names: dict[str, int] = {}
    files: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    omitted_files: dict[str, list[int]] = {}
    for measured in sorted(data.measured_files()):
        absolute = os.path.abspath(measured)
        rel = os.path.realpath(absolute)
        if not any(_under(rel, r) for r in absolute_roots):
            continue
        tests: set[int] = set()
        for label in contexts_of(measured):
            test = label.removeprefix(prefix) if prefix else label
            if test and test != static:
                tests.add(names.setdefault(test, len(names)))
        if omitted(absolute):  # no figures (the repo's choice), but which tests ran it
            omitted_files[rel] = sorted(tests)
            continue
        try:
            figures = _figures(cov, measured, branch, fast)
        except Exception as exc:  # coverage's own message names the cause
            if type(exc).__name__ == "NotPython" and not _should_be_python(rel):
                continue  # e.g. a template compiled to code: `coverage report` skips it too
            errors[rel] = f"{type(exc).__name__}: {exc}"
            continue
        files[rel] = {**figures, "tests": sorted(tests)}
    return {
        "version": coverage.__version__,
        "data_file": os.path.abspath(data_file),  # the one read (a -lines companion, maybe)
        "branch": branch,
        "omit": omit,
        "omitted": omitted_files,
        "contexts": list(names),
        "files": files,
        "errors": errors,
    }


def merged_then_read(
    merge_args: str, data_file: str, roots: list[str], per_test: str | None
) -> dict[str, Any]:
    """``--merge``: write the merged data file, then read the roots whose data changed."""
    with open(merge_args, encoding="utf-8") as fh:
        args = json.load(fh)
    if os.path.abspath(args["out"]) != os.path.abspath(data_file):
        return {"error": f"the merge writes {args['out']}, not the data file {data_file}"}
    try:
        ran: list[str] = merge(args)
    except Exception as exc:  # the merge's failure, told apart from the reading's
        return {"merge_error": f"{type(exc).__name__}: {exc}"}
    changed = [os.path.realpath(os.path.join(args["root"], rel)) for rel in args["drop"]]
    changed += [os.path.realpath(os.path.join(args["root"], name)) for name in ran]
    again = [r for r in roots if any(_under(f, os.path.realpath(r)) for f in changed)]
    payload = read(data_file, again, per_test=per_test) if again else {}
    return {**payload, "ran": ran, "roots": again}


def main(argv: list[str]) -> int:
    """Read ``argv[0]`` for the roots ``argv[2:]`` and write the JSON to ``argv[1]``."""
    per_test = None
    sources: list[str] = []
    only_prepare = False
    merge_args = None
    while argv and argv[0].startswith("--"):
        option = argv.pop(0)
        if option.startswith("--per-test="):
            per_test = option.removeprefix("--per-test=")
        elif option.startswith("--combine="):
            sources.append(option.removeprefix("--combine="))
        elif option == "--no-read":
            only_prepare = True
        elif option.startswith("--merge="):
            merge_args = option.removeprefix("--merge=")
    data_file, out, *roots = argv
    try:
        if merge_args is not None:
            payload = merged_then_read(merge_args, data_file, roots, per_test)
        else:
            payload = read(
                data_file, roots, per_test=per_test, sources=sources, only_prepare=only_prepare
            )
    except Exception as exc:  # any failure becomes the collector's error
        payload = {"error": f"{type(exc).__name__}: {exc}"}
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(payload, fh)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, "")  # as `python -m coverage report`: the current directory first
    raise SystemExit(main(sys.argv[1:]))
