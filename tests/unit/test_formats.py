"""Report formats behind one interface: written whole, with the user's umask, wired into
the commands by the registry."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import ClassVar

import pytest
import typer
from typer.testing import CliRunner

from maturity.cli.app import report_options, write_outputs
from maturity.errors import UsageError
from maturity.model import RunReport
from maturity.report import formats
from maturity.report.formats import FORMATS, Format, Json, Summary, formats_for
from tests.unit.test_reports import make_report


def test_each_command_offers_its_registered_formats() -> None:
    assert [f.name for f in formats_for("run")] == ["json", "markdown", "junit", "sarif"]
    assert [f.name for f in formats_for("check")] == ["json", "summary", "junit", "sarif"]
    assert len({f.name for f in FORMATS}) == len(FORMATS)


def test_files_are_written_whole_with_the_umask_and_summaries_appended(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        Json().write(make_report(), tmp_path / "r.json")
    finally:
        os.umask(old)
    assert json.loads((tmp_path / "r.json").read_text())["tool"] == "maturity"
    assert stat.S_IMODE((tmp_path / "r.json").stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temporary file left
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n")
    Summary().write(make_report(), summary)
    text = summary.read_text()
    assert text.startswith("earlier step\n## Component maturity")


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
@pytest.mark.parametrize(("umask", "mode"), [(0o002, 0o664), (0o077, 0o600)])
def test_every_format_creates_its_file_with_the_umask(
    fmt: Format, umask: int, mode: int, tmp_path: Path
) -> None:
    old = os.umask(umask)
    try:
        fmt.write(make_report(), tmp_path / "report")
        fmt.write(make_report(), tmp_path / "report")  # replaced (or appended to): same mode
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "report").stat().st_mode) == mode


def test_a_path_that_cannot_be_written_is_a_one_line_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a-directory").mkdir()
    with pytest.raises(UsageError) as caught:
        Json().write(make_report(), tmp_path / "a-directory")
    assert str(caught.value) == f"--json {tmp_path / 'a-directory'}: cannot write: Is a directory"


def test_a_new_format_is_one_class_and_one_registry_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Count(Format):
        name = "count"
        help = "Write how many components there are."
        commands: ClassVar[tuple[str, ...]] = ("run",)

        def render(self, report: RunReport) -> str:
            return f"{len(report.components)}\n"

    monkeypatch.setattr(formats, "FORMATS", (*FORMATS, Count()))
    app = typer.Typer()

    @app.command()
    @report_options("run")
    def run(outputs: dict[Format, Path], name: str = "x") -> None:
        write_outputs(make_report(), outputs)

    out = tmp_path / "count.txt"
    result = CliRunner().invoke(app, ["--count", str(out), "--json", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    assert out.read_text() == "2\n"
    assert (tmp_path / "r.json").is_file()
    assert "--count" in CliRunner().invoke(app, ["--help"]).output
