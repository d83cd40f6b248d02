"""The terminal report's text kept beside the fact cache, piece by piece: printed again,
byte for byte, for the same renderables on the same kind of console; laid out anew
otherwise, and when a kept entry does not read back whole."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from maturity.model import RunReport, Status
from maturity.report.terminal import render_terminal
from tests.unit.test_reports import make_report

KINDS = [
    {"width": 80},
    {"width": 50, "force_terminal": True, "color_system": "truecolor"},
    {"width": 120, "force_terminal": True, "no_color": True},
]


def wide_report() -> RunReport:
    """More components than one table each: the matrix, the costly layout."""
    report = make_report()
    first = report.components[0]
    report.components = [first.model_copy(update={"name": f"comp_{i:03}"}) for i in range(20)]
    return report


def printed(report: RunReport, kept: Path | None = None, **kind: object) -> str:
    console = Console(file=io.StringIO(), **kind)  # type: ignore[arg-type]
    render_terminal(report, console, verbose=False, kept=kept)
    return console.file.getvalue()  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: "-".join(map(str, k.values())))
def test_the_kept_text_is_the_laid_out_text_byte_for_byte(tmp_path: Path, kind: dict) -> None:
    kept = tmp_path / "terminal.json"
    for report in (make_report(), wide_report()):
        laid_out = printed(report, **kind)
        assert printed(report, kept, **kind) == laid_out  # a miss: laid out, kept
        assert kept.is_file()
        assert printed(report, kept, **kind) == laid_out  # a hit: the kept text


def mark_the_matrix(kept: Path) -> str:
    """Replace the kept text of the matrix (the entry that draws a table) by a marker."""
    entries = json.loads(kept.read_text(encoding="utf-8"))["entries"]
    (matrix,) = [e for e in entries if "━" in e["text"]]
    marker = "kept, not laid out\n"
    matrix.update(text=marker, digest=hashlib.sha256(marker.encode()).hexdigest())
    kept.write_text(json.dumps({"entries": entries}), encoding="utf-8")
    return marker


def test_a_hit_prints_the_kept_text_without_laying_it_out(tmp_path: Path) -> None:
    kept = tmp_path / "terminal.json"
    report = wide_report()
    laid_out = printed(report)
    printed(report, kept)
    marker = mark_the_matrix(kept)
    reused = printed(report, kept)
    assert marker in reused
    assert "━" not in reused and "━" in laid_out  # the matrix was not drawn again


def test_a_warm_run_reuses_the_cold_runs_tables_under_its_own_header(tmp_path: Path) -> None:
    kept = tmp_path / "terminal.json"
    cold = wide_report()
    printed(cold, kept)
    marker = mark_the_matrix(kept)
    warm = cold.model_copy(update={"repo": "/elsewhere"})  # a header line differs
    reused = printed(warm, kept)
    assert marker in reused
    assert "/elsewhere" in reused and "/elsewhere" not in printed(cold)


def test_another_report_or_console_is_laid_out_again(tmp_path: Path) -> None:
    kept = tmp_path / "terminal.json"
    report = wide_report()
    printed(report, kept)
    changed = report.model_copy(deep=True)
    changed.components[3].criteria[0].status = Status.PASS
    assert printed(changed, kept) == printed(changed)
    assert printed(changed, kept, width=100) == printed(changed, width=100)


@pytest.mark.parametrize("damage", ["truncated", "tampered", "garbage"])
def test_an_entry_that_does_not_read_back_whole_is_a_miss(tmp_path: Path, damage: str) -> None:
    kept = tmp_path / "terminal.json"
    report = wide_report()
    laid_out = printed(report)
    printed(report, kept)
    whole = kept.read_text(encoding="utf-8")
    if damage == "truncated":
        kept.write_text(whole[: len(whole) // 2], encoding="utf-8")
    elif damage == "tampered":  # a text cut short, its digest left as it was
        entries = json.loads(whole)["entries"]
        for entry in entries:
            entry["text"] = entry["text"][:100]
        kept.write_text(json.dumps({"entries": entries}), encoding="utf-8")
    else:
        kept.write_bytes(b"\xff\x00 not json")
    assert printed(report, kept) == laid_out
    assert kept.read_text(encoding="utf-8") == whole  # kept again, whole
