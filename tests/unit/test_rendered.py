"""The terminal report's text kept beside the fact cache: printed again, byte for byte,
for the same renderables on the same kind of console; laid out anew otherwise, and when
the kept entry does not read back whole."""

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


def test_a_hit_prints_the_kept_text_without_laying_it_out(tmp_path: Path) -> None:
    kept = tmp_path / "terminal.json"
    report = wide_report()
    printed(report, kept)
    entry = json.loads(kept.read_text(encoding="utf-8"))
    marker = "kept, not laid out\n"
    entry.update(text=marker, digest=hashlib.sha256(marker.encode()).hexdigest())
    kept.write_text(json.dumps(entry), encoding="utf-8")
    assert printed(report, kept) == marker


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
    elif damage == "tampered":  # the text cut short, its digest left as it was
        entry = json.loads(whole)
        entry["text"] = entry["text"][:100]
        kept.write_text(json.dumps(entry), encoding="utf-8")
    else:
        kept.write_bytes(b"\xff\x00 not json")
    assert printed(report, kept) == laid_out
    assert kept.read_text(encoding="utf-8") == whole  # kept again, whole
