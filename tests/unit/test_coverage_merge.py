"""The in-target merge of REF's coverage data with a ``--changed-since`` re-run's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from coverage import CoverageData

from maturity.collectors.coverage_data import MERGER


def _data(path: Path, lines: dict[str, list[int]], touched: tuple[str, ...] = ()) -> None:
    data = CoverageData(basename=str(path))
    data.add_lines({name: set(found) for name, found in lines.items()})
    data.touch_files(list(touched))
    data.write()


def _merge(
    tmp_path: Path, ref_root: Path, root: Path, drop: list[str] | None = None
) -> dict[str, object]:
    """Run the merge script on ref.coverage and run.coverage; its result."""
    args = {
        "ref": str(tmp_path / "ref.coverage"),
        "ref_root": str(ref_root),
        "root": str(root),
        "drop": drop or [],
        "runs": [str(tmp_path / "run.coverage")],
        "out": str(tmp_path / "out.coverage"),
        "result": str(tmp_path / "result.json"),
    }
    (tmp_path / "args.json").write_text(json.dumps(args), encoding="utf-8")
    subprocess.run([sys.executable, str(MERGER), str(tmp_path / "args.json")], check=True)
    return json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))


def test_files_the_rerun_only_listed_keep_refs_data_and_are_not_reported_as_ran(
    tmp_path: Path,
) -> None:
    ref_root, root = tmp_path / "ref", tmp_path / "repo"
    ref_root.mkdir()
    root.mkdir()
    _data(tmp_path / "ref.coverage", {str(ref_root / "a.py"): [1, 2], str(ref_root / "b.py"): [3]})
    # the re-run executed a.py and, like `coverage run --source`, listed the never-imported b.py
    _data(tmp_path / "run.coverage", {str(root / "a.py"): [1, 5]}, touched=(str(root / "b.py"),))
    result = _merge(tmp_path, ref_root, root)
    assert result == {"ran": [str(root / "a.py")]}  # b.py was only listed: REF's data stands
    merged = CoverageData(basename=str(tmp_path / "out.coverage"))
    merged.read()
    assert sorted(merged.lines(str(root / "a.py")) or []) == [1, 2, 5]
    assert merged.lines(str(root / "b.py")) == [3]


def test_a_file_without_data_first_in_refs_data_is_kept_at_zero(tmp_path: Path) -> None:
    """REF's first file (by name) no test ran: it is added before any data (coverage.py
    refuses to add a file to data that has neither lines nor arcs yet)."""
    ref_root, root = tmp_path / "ref", tmp_path / "repo"
    _data(
        tmp_path / "ref.coverage",
        {str(ref_root / "b.py"): [1]},
        touched=(str(ref_root / "a_never.py"),),
    )
    _data(tmp_path / "run.coverage", {str(root / "b.py"): [1, 2]})
    result = _merge(tmp_path, ref_root, root)
    assert result == {"ran": [str(root / "b.py")]}
    merged = CoverageData(basename=str(tmp_path / "out.coverage"))
    merged.read()
    assert merged.lines(str(root / "a_never.py")) == []
    assert sorted(merged.lines(str(root / "b.py")) or []) == [1, 2]


def test_in_the_same_checkout_refs_file_is_copied_and_dropped_files_are_gone(
    tmp_path: Path,
) -> None:
    """REF measured in this very checkout: its data file is copied, the dropped files'
    rows deleted (a deleted file must not stay as a measured file without data)."""
    root = tmp_path / "repo"
    _data(
        tmp_path / "ref.coverage",
        {str(root / "a.py"): [1, 2], str(root / "gone.py"): [1], str(root / "c.py"): [4]},
        touched=(str(root / "never.py"),),
    )
    _data(tmp_path / "run.coverage", {str(root / "c.py"): [5]})
    result = _merge(tmp_path, root, root, drop=["gone.py", "c.py"])
    assert result == {"ran": [str(root / "c.py")]}
    merged = CoverageData(basename=str(tmp_path / "out.coverage"))
    merged.read()
    assert merged.measured_files() == {str(root / f) for f in ("a.py", "c.py", "never.py")}
    assert merged.lines(str(root / "c.py")) == [5]  # REF's line 4 was dropped with the file
    assert sorted(merged.lines(str(root / "a.py")) or []) == [1, 2]
    assert merged.lines(str(root / "never.py")) == []
