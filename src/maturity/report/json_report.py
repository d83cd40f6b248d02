"""The versioned JSON report (``maturity run --json``); see docs/json-report.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from maturity.errors import UsageError
from maturity.model import SCHEMA_VERSION, RunReport
from maturity.report.files import atomic_write


def to_json(report: RunReport) -> str:
    """The report as indented JSON text."""
    return report.model_dump_json(indent=2) + "\n"


def write_json(report: RunReport, path: Path) -> None:
    """Write the report atomically: readers never see half a file. Raises ``OSError``."""
    atomic_write(path, to_json(report))


def json_schema() -> dict[str, Any]:
    """JSON Schema of the report, identified by its schema version."""
    schema = RunReport.model_json_schema()
    schema["$id"] = f"https://maturity.dev/schema/run-report/{SCHEMA_VERSION}.json"
    schema["title"] = f"maturity run report, schema {SCHEMA_VERSION}"
    return schema


def read_report(path: Path, named: str = "") -> RunReport:
    """A JSON report read back; a file that cannot be read or is not a maturity report is
    a usage error naming it (``named``: how the user gave it, e.g. ``--baseline X``)."""
    where = named or str(path)
    try:
        return RunReport.model_validate_json(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{where}: cannot read: {exc.strerror}") from None
    except ValueError as exc:
        first = str(exc).splitlines()[0]
        raise UsageError(f"{where}: not a maturity JSON report: {first}") from None
