"""The run report as SARIF 2.1.0 (``--sarif FILE``), e.g. for GitHub code scanning.

One rule per criterion (``dev.ruff``…: title, checklist, remediation). One result per
evidence item with a file of a criterion that is not met — a ruff, pyright or bandit
finding, a new secret, a file with statements never run, a missing docstring, a failing
test — at that file (repo-relative under ``%SRCROOT%``) and line; the tool's own code is
in the result's properties. A waived criterion's results carry an accepted external
suppression. What is no result is said in the invocation's notifications, never left
out silently: a criterion that could not be measured (``error``), a criterion not met
whose evidence has no file (``note``), evidence the report left out (``note``).
See docs/sarif.md.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from maturity.model import (
    ComponentReport,
    CriterionResult,
    Evidence,
    GateRole,
    RunReport,
    Stage,
    Status,
)

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"

# The notifications maturity gives, as driver.notifications (referenced by index).
NOT_MEASURED = "not-measured"
NOT_LOCATED = "not-located"
EVIDENCE_OMITTED = "evidence-omitted"
NOTIFICATIONS = {
    NOT_MEASURED: "A criterion could not be measured; its findings are unknown.",
    NOT_LOCATED: "A criterion is not met, but some or all of its evidence has no file, so it"
    " is no result here (the JSON report lists it).",
    EVIDENCE_OMITTED: "The report left out evidence items without a file beyond its limit.",
}
Json = dict[str, Any]


def to_sarif(report: RunReport) -> Json:
    """The SARIF log of a run: one run, maturity the driver, results in a stable order."""
    rules = _rules(report)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results: list[Json] = []
    notes: list[Json] = []
    for comp in report.components:
        ahead = {g.gate for g in comp.gates if g.role is GateRole.AHEAD}
        for crit in comp.criteria:
            results += _results(comp, crit, index, ahead)
            notes += _notifications(comp, crit, index)
    results.sort(key=_order)
    invocation: Json = {
        "executionSuccessful": not any(n["level"] == "error" for n in notes),
        "toolExecutionNotifications": notes,
        "properties": {
            "stages": [s.value for s in report.stages],
            "interpreter": report.interpreter,
        },
    }
    started = _utc(report.timestamp)
    if started:
        invocation["startTimeUtc"] = started
    driver: Json = {
        "name": report.tool,
        "version": report.tool_version,
        "rules": rules,
        "notifications": [
            {"id": key, "shortDescription": {"text": text}} for key, text in NOTIFICATIONS.items()
        ],
    }
    run: Json = {
        "tool": {
            "driver": driver,
            "extensions": [_tool(t.name, t.version) for t in report.tools],
        },
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(report.repo)}},
        "results": results,
        "properties": {
            "schema_version": report.schema_version,
            "commit": report.git.commit,
            "branch": report.git.branch,
            "dirty": report.git.dirty,
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(report: RunReport) -> str:
    """The SARIF log as indented JSON text."""
    return json.dumps(to_sarif(report), indent=2, ensure_ascii=False) + "\n"


def _rules(report: RunReport) -> list[Json]:
    """One reporting descriptor per criterion the run evaluated, in the order first met."""
    first: dict[str, CriterionResult] = {}
    for comp in report.components:
        for crit in comp.criteria:
            first.setdefault(crit.id, crit)
    return [_rule(crit) for crit in first.values()]


def _rule(crit: CriterionResult) -> Json:
    checklist = str(crit.details.get("checklist") or crit.title)
    rule: Json = {
        "id": crit.id,
        "shortDescription": {"text": crit.title},
        "fullDescription": {"text": checklist},
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "gate": crit.gate.value,
            "blocker_category": crit.blocker_category.value,
            "tags": ["maturity", crit.gate.value, crit.blocker_category.value],
        },
    }
    if crit.remediation:
        rule["help"] = {"text": crit.remediation, "markdown": crit.remediation}
    return rule


def _results(
    comp: ComponentReport, crit: CriterionResult, index: dict[str, int], ahead: set[Stage]
) -> list[Json]:
    """A result per evidence item with a file, for a criterion failed or waived."""
    if crit.status not in (Status.FAIL, Status.WAIVED):
        return []
    # a stage judged on request (run --stage) ahead of the held one does not block it yet
    level = "warning" if crit.gate in ahead else "error"
    out = []
    for ev in crit.evidence:
        if ev.file is None:
            continue
        properties: Json = {"component": comp.name, "status": crit.status.value}
        if ev.code:
            properties["code"] = ev.code
        if crit.waiver is not None and crit.waiver.expired:
            properties["waiver_expired"] = crit.waiver.expires
        result: Json = {
            "ruleId": crit.id,
            "ruleIndex": index[crit.id],
            "level": level,
            "message": {"text": ev.message or crit.summary},
            "locations": [_location(ev)],
            "properties": properties,
        }
        if crit.status is Status.WAIVED and crit.waiver is not None:
            w = crit.waiver
            result["suppressions"] = [
                {
                    "kind": "external",
                    "status": "accepted",
                    "justification": f"waived until {w.expires} by {w.approver}: {w.justification}",
                }
            ]
        out.append(result)
    return out


def _notifications(
    comp: ComponentReport, crit: CriterionResult, index: dict[str, int]
) -> list[Json]:
    """What the results cannot say about one criterion of one component."""
    name = f"{comp.name}: {crit.id} ({crit.title})"
    located = [ev for ev in crit.evidence if ev.file is not None]
    out: list[Json] = []
    if crit.status is Status.ERROR:
        note = _notification(
            NOT_MEASURED,
            "error",
            f"{name} could not be measured: {crit.summary}",
            comp,
            crit,
            index,
        )
        if located:
            note["locations"] = [_location(ev) for ev in located]
        out.append(note)
    elif crit.status in (Status.FAIL, Status.WAIVED):
        unlocated = len(crit.evidence) - len(located)
        verb = "is waived" if crit.status is Status.WAIVED else "fails"
        if not located:
            text = (
                f"{name} {verb} with no finding at a file, so it has no result here: {crit.summary}"
            )
            out.append(_notification(NOT_LOCATED, "note", text, comp, crit, index))
        elif unlocated:
            text = (
                f"{name} {verb}: {unlocated} of its {len(crit.evidence)} evidence items have no"
                " file and are no results here (the JSON report lists them)"
            )
            out.append(_notification(NOT_LOCATED, "note", text, comp, crit, index))
    omitted = crit.details.get("evidence_omitted")
    if isinstance(omitted, int) and omitted > 0:
        text = f"{name}: the report left out {omitted} more evidence items without a file"
        out.append(_notification(EVIDENCE_OMITTED, "note", text, comp, crit, index))
    return out


def _notification(
    kind: str,
    level: str,
    text: str,
    comp: ComponentReport,
    crit: CriterionResult,
    index: dict[str, int],
) -> Json:
    return {
        "descriptor": {"id": kind, "index": list(NOTIFICATIONS).index(kind)},
        "associatedRule": {"id": crit.id, "index": index[crit.id]},
        "level": level,
        "message": {"text": text},
        "properties": {"component": comp.name, "status": crit.status.value},
    }


def _location(ev: Evidence) -> Json:
    """A physical location: the file (repo-relative under %SRCROOT%) and its line if known."""
    file = ev.file or ""
    artifact: Json
    if PurePosixPath(file).is_absolute():
        artifact = {"uri": Path(file).as_uri()}
    else:
        artifact = {"uri": quote(file, safe="/"), "uriBaseId": SRCROOT}
    physical: Json = {"artifactLocation": artifact}
    if ev.line is not None and ev.line >= 1:
        physical["region"] = {"startLine": ev.line}
    return {"physicalLocation": physical}


def _order(result: Json) -> tuple[str, int, str, str, str]:
    """Results by file, line, rule, message, component: the same run gives the same file."""
    physical = result["locations"][0]["physicalLocation"]
    line = physical.get("region", {}).get("startLine", 0)
    return (
        physical["artifactLocation"]["uri"],
        line,
        result["ruleId"],
        result["message"]["text"],
        result["properties"]["component"],
    )


def _tool(name: str, version: str | None) -> Json:
    return {"name": name, "version": version} if version else {"name": name}


def _directory_uri(path: str) -> str:
    """The repository root as an absolute file URI ending in '/' (SARIF 3.14.14)."""
    return Path(path).absolute().as_uri().rstrip("/") + "/"


def _utc(timestamp: str) -> str | None:
    """An ISO-8601 time as SARIF's UTC form (``…Z``); None when it does not parse."""
    try:
        moment = datetime.fromisoformat(timestamp)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
