"""Merge REF's coverage data with a re-run's, with coverage.py's API, in the TARGET's interpreter.

It imports nothing from maturity. ``--changed-since`` re-runs some tests; the data of
the run is then REF's data for every file no re-run test ran at REF (file names moved
from REF's repository root to this one), plus the re-run's data for every file
(``CoverageData.update``). Files whose every test was re-run, and files that changed,
are taken from the re-run alone (``drop``).

    python maturity_coverage_merge.py ARGS_JSON

ARGS_JSON: ``{"ref": DATA_FILE, "ref_root": DIR, "root": DIR, "drop": [REL...],
"runs": [DATA_FILE...], "out": DATA_FILE, "result": JSON_FILE}``. The result file
holds the files the re-runs ran a line of, ``{"ran": [FILE...]}``, or ``{"error": "..."}``.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import sqlite3
import sys
from contextlib import closing
from typing import Any

KNOWN_SCHEMA = 7  # coverage.py 5.0 onwards: file, context, line_bits, arc, tracer


def pieces(data_file: str) -> list[str]:
    """A data file and the pieces ``[run] parallel = true`` writes beside it."""
    found = [data_file] if os.path.exists(data_file) else []
    return found + sorted(glob.glob(glob.escape(data_file) + ".*"))


def _relative(name: str, root: str) -> str:
    """A data file's name (absolute, or relative to ``root`` as ``[run] relative_files``
    stores them) relative to ``root``, with forward slashes."""
    full = name if os.path.isabs(name) else os.path.join(root, name)
    return os.path.relpath(os.path.realpath(full), root).replace(os.sep, "/")


def _copied_without(ref: str, out: str, root: str, drop: set[str]) -> bool:
    """REF's data file copied to ``out`` with the dropped files' rows deleted (one file
    copy instead of every file's data added again), when the file has the schema
    coverage.py documents (version 7); False (nothing written) otherwise."""
    shutil.copyfile(ref, out)
    try:
        with closing(sqlite3.connect(out)) as con, con:
            [(version,)] = con.execute("SELECT version FROM coverage_schema").fetchall()
            if version != KNOWN_SCHEMA:
                raise ValueError(version)
            gone = [
                (file_id,)
                for file_id, path in con.execute("SELECT id, path FROM file")
                if _relative(path, root) in drop
            ]
            con.executemany("DELETE FROM line_bits WHERE file_id = ?", gone)
            con.executemany("DELETE FROM arc WHERE file_id = ?", gone)
            con.executemany("DELETE FROM tracer WHERE file_id = ?", gone)
            con.executemany("DELETE FROM file WHERE id = ?", gone)
    except (sqlite3.Error, ValueError):
        os.unlink(out)
        return False
    return True


def _moved(ref_file: str, out: Any, ref_root: str, root: str, drop: set[str]) -> None:
    """Add REF's data to ``out`` file by file, names moved from ``ref_root`` to ``root``
    (REF was measured in another checkout), the dropped files left out."""
    from coverage import CoverageData

    ref = CoverageData(basename=ref_file)
    ref.read()
    arcs = ref.has_arcs()
    if ref.measured_files():  # lines or arcs, as REF's: a file without data can be added first
        (out.add_arcs if arcs else out.add_lines)({})
    for name in sorted(ref.measured_files()):
        rel = _relative(name, ref_root)
        inside = not (rel == ".." or rel.startswith("../"))
        if inside and rel in drop:
            continue
        # a relative name ([run] relative_files) is relative to the root in both runs
        moved = os.path.join(root, rel) if inside and os.path.isabs(name) else name
        tracer = ref.file_tracer(name) or ""
        pairs = ref.arcs(name) if arcs else None
        lines = None if arcs else ref.lines(name)
        if pairs:
            out.add_arcs({moved: pairs})
        elif lines:
            out.add_lines({moved: lines})
        else:  # a file no test ran (0%): kept as a file without data
            out.touch_file(moved, tracer)
        if (pairs or lines) and tracer:
            out.add_file_tracers({moved: tracer})


def merge(args: dict[str, Any]) -> list[str]:
    """Write ``out``: REF's kept files moved to ``root``, then each re-run's data; returns
    the files the re-runs measured."""
    from coverage import CoverageData

    ref_root = os.path.realpath(args["ref_root"])
    root = os.path.realpath(args["root"])
    drop = set(args["drop"])
    out = CoverageData(basename=args["out"])
    for name in pieces(args["out"]):
        os.unlink(name)
    if ref_root == root and _copied_without(args["ref"], args["out"], root, drop):
        out.read()  # REF's own file, the dropped files deleted: nothing to move
    else:
        _moved(args["ref"], out, ref_root, root, drop)
    ran: set[str] = set()
    for run in args["runs"]:
        for piece in pieces(run):
            data = CoverageData(basename=piece)
            data.read()
            # a file the run only listed (``--source``'s never-imported files, 0%) keeps
            # REF's data unchanged: it is not one the re-run measured
            ran |= {name for name in data.measured_files() if data.lines(name)}
            out.update(data)
    out.write()
    return sorted(ran)


def main(argv: list[str]) -> int:
    """Merge as ``argv[0]`` (a JSON file of arguments) says; the outcome in its result file."""
    with open(argv[0], encoding="utf-8") as fh:
        args = json.load(fh)
    try:
        result: dict[str, Any] = {"ran": merge(args)}
    except Exception as exc:  # any failure becomes the collector's error
        result = {"error": f"{type(exc).__name__}: {exc}"}
    with open(args["result"], "w", encoding="utf-8") as fh:
        json.dump(result, fh)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
