"""Read a coverage data file with coverage.py's own API, in the TARGET's interpreter.

It runs where the target's tests ran (its coverage version, its configuration file, its
plugins), so it imports nothing from maturity. It reads only the files under the given
component roots, never exports the whole data file: per file it writes statement and
branch numbers (what ``coverage report`` prints), the missing lines, and the test
contexts that ran any of its lines. A file coverage cannot analyse (e.g. it cannot parse
it) is reported as that file's error; the others are still read.

    python maturity_coverage_reader.py DATA_FILE OUT_JSON ROOT [ROOT ...]

ROOTs are directories relative to the current directory (the repository root).
"""

from __future__ import annotations

import fnmatch
import glob
import json
import os
import sys
from typing import Any


def _under(path: str, root: str) -> bool:
    root = root.rstrip("/")
    return root in ("", ".") or path == root or path.startswith(root + "/")


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


def read(data_file: str, roots: list[str]) -> dict[str, Any]:
    """Everything maturity needs from the data file, for the files under ``roots``."""
    import coverage

    cwd = os.path.realpath(os.getcwd())
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
    branch = data.has_arcs()
    static = cov.config.context or ""
    prefix = static + "|" if static else ""  # a static context labels each test's context
    omitted = _omit_matcher(list(cov.config.report_omit or []))
    names: dict[str, int] = {}
    files: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for measured in sorted(data.measured_files()):
        absolute = os.path.abspath(measured)
        rel = os.path.relpath(absolute, cwd).replace(os.sep, "/")
        if rel.startswith("../") or not any(_under(rel, r) for r in roots):
            continue
        if omitted(absolute):
            continue
        try:
            _, statements, _, missing, _ = cov.analysis2(measured)
            branches = covered_branches = 0
            if branch:
                if hasattr(cov, "branch_stats"):
                    stats = cov.branch_stats(measured).values()
                    branches = sum(total for total, _ in stats)
                    covered_branches = sum(taken for _, taken in stats)
                else:  # pragma: no cover - coverage.py before 7.7
                    numbers = cov._analyze(measured).numbers
                    branches = numbers.n_branches
                    covered_branches = numbers.n_branches - numbers.n_missing_branches
        except Exception as exc:  # coverage's own message names the cause
            errors[rel] = f"{type(exc).__name__}: {exc}"
            continue
        tests: set[int] = set()
        for contexts in data.contexts_by_lineno(measured).values():
            for label in contexts:
                test = label.removeprefix(prefix) if prefix else label
                if test and test != static:
                    tests.add(names.setdefault(test, len(names)))
        files[rel] = {
            "statements": len(statements),
            "covered": len(statements) - len(missing),
            "missing": sorted(missing),
            "branches": branches,
            "covered_branches": covered_branches,
            "tests": sorted(tests),
        }
    return {
        "version": coverage.__version__,
        "branch": branch,
        "omit": list(cov.config.report_omit or []),
        "contexts": list(names),
        "files": files,
        "errors": errors,
    }


def main(argv: list[str]) -> int:
    """Read ``argv[0]`` for the roots ``argv[2:]`` and write the JSON to ``argv[1]``."""
    data_file, out, *roots = argv
    try:
        payload = read(data_file, roots)
    except Exception as exc:  # any failure becomes the collector's error
        payload = {"error": f"{type(exc).__name__}: {exc}"}
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(payload, fh)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, "")  # as `python -m coverage report`: the current directory first
    raise SystemExit(main(sys.argv[1:]))
