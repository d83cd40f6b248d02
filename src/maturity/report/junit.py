"""JUnit XML: the run as test results, for CI test reporters.

One ``<testsuite>`` per component and one ``<testcase>`` per criterion: a failing
criterion is a ``<failure>``, one that could not be measured an ``<error>``, a waived one
``<skipped>``. The document conforms to ``junit-10.xsd``, the schema pytest validates its
own JUnit output against (``tests/schemas/``): that schema permits no ``timestamp`` or
``skipped`` on ``<testsuites>``, so each suite carries them. Built with ElementTree, never
by string concatenation; characters XML 1.0 cannot hold (control characters in tool
output) are shown as ``\\xNN`` escapes and terminal colour codes are dropped.
"""

from __future__ import annotations

import re

# builds XML and never parses it: nothing untrusted is read here
from xml.etree.ElementTree import Element, SubElement, indent, tostring  # nosec B405

from maturity.model import ComponentReport, CriterionResult, RunReport, Status

EVIDENCE_SHOWN = 50  # evidence lines in one failure's text; the JSON report has them all
TIME = "0"  # criteria judge facts gathered once per run: no criterion has a time of its own

# terminal colour and cursor codes (ESC [ ... letter), which tools print into their output
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
# everything XML 1.0 cannot hold: C0 controls but tab, newline and carriage return,
# surrogates, U+FFFE and U+FFFF
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` with only characters XML 1.0 allows: colour codes dropped, any other
    illegal character shown as its escape (``\\x1b``, ``\\ud800``) so nothing is hidden."""
    return _ILLEGAL.sub(lambda m: repr(m.group())[1:-1], _ANSI.sub("", text))


def _element(parent: Element, tag: str, text: str | None = None, **attrs: str) -> Element:
    """A child element whose every attribute and text is clean XML 1.0 text."""
    child = SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        child.text = xml_text(text)
    return child


def testcase_name(crit: CriterionResult) -> str:
    """The testcase name: the criterion id, then its title."""
    return f"{crit.id}: {crit.title}"


def _body(crit: CriterionResult) -> str:
    """The text of a failure or error: what was measured, the evidence, what to do and
    the commands that reproduce it."""
    measured = f"measured: {crit.display}, " if crit.status is Status.FAIL else ""
    lines = [crit.summary, f"{measured}bar: {crit.threshold}"]
    if crit.waiver and crit.waiver.expired:
        lines.append(
            f"waiver expired on {crit.waiver.expires} (approved by {crit.waiver.approver})"
        )
    if crit.evidence:
        lines.append("evidence:")
        for ev in crit.evidence[:EVIDENCE_SHOWN]:
            where = f"{ev.location()}: " if ev.location() else ""
            link = f" <{ev.link}>" if ev.link else ""
            lines.append(f"  {where}{ev.message}{link}")
        if len(crit.evidence) > EVIDENCE_SHOWN:
            lines.append(f"  … and {len(crit.evidence) - EVIDENCE_SHOWN} more")
    if crit.remediation:
        lines.append(f"remediation: {crit.remediation}")
    if crit.commands:
        lines.append("reproduce:")
        lines.extend(f"  $ {cmd}" for cmd in crit.commands)
    return "\n".join(lines)


def _testcase(suite: Element, comp: ComponentReport, crit: CriterionResult) -> None:
    case = _element(
        suite,
        "testcase",
        classname=f"maturity.{comp.name}.{crit.gate}",
        name=testcase_name(crit),
        time=TIME,
    )
    kind = f"blocker:{crit.blocker_category}"
    if crit.status is Status.FAIL:
        _element(case, "failure", _body(crit), message=crit.summary, type=kind)
    elif crit.status is Status.ERROR:
        message = f"could not measure: {crit.summary}"
        _element(case, "error", _body(crit), message=message, type=kind)
    elif crit.status is Status.WAIVED:
        waiver = crit.waiver
        message = f"waived until {waiver.expires} by {waiver.approver}" if waiver else "waived"
        text = f"{crit.summary}\njustification: {waiver.justification}" if waiver else None
        _element(case, "skipped", text, message=message)


def counts(comp: ComponentReport) -> dict[str, int]:
    """The suite's figures: criteria, failures, errors (not measured), skipped (waived)."""
    status = [c.status for c in comp.criteria]
    return {
        "tests": len(status),
        "failures": status.count(Status.FAIL),
        "errors": status.count(Status.ERROR),
        "skipped": status.count(Status.WAIVED),
    }


def _properties(report: RunReport, comp: ComponentReport) -> dict[str, str]:
    props = {
        "verdict": comp.verdict,
        "stage": comp.stage.value,
        **({"target": comp.target.value} if comp.target else {}),
        "ready": str(comp.ready).lower(),
        "next_step": comp.next_step,
        "path": comp.path,
        "label": comp.label,
    }
    for gate in comp.gates:
        props[f"gate.{gate.gate}"] = f"{gate.role}: {'met' if gate.met else 'not met'}"
    props["maturity.version"] = report.tool_version
    if report.git.commit:
        props["git.commit"] = report.git.commit
    return props


def _testsuite(root: Element, report: RunReport, comp: ComponentReport) -> None:
    figures = counts(comp)
    suite = _element(
        root,
        "testsuite",
        name=comp.name,
        **{k: str(v) for k, v in figures.items()},
        time=TIME,
        timestamp=report.timestamp,
    )
    props = _element(suite, "properties")
    for name, value in _properties(report, comp).items():
        _element(props, "property", name=name, value=value)
    for crit in comp.criteria:
        _testcase(suite, comp, crit)


def _baseline_suite(root: Element, report: RunReport) -> dict[str, int]:
    """``check --baseline``: a suite ``baseline`` with a failing case per regression (a
    passing one when there is none, a skipped one when there was no baseline), so a CI
    test report fails where ``check`` does. Returns its counts."""
    base = report.baseline
    if base is None:
        return {"tests": 0, "failures": 0, "errors": 0}
    figures = {"tests": max(len(base.regressions), 1), "failures": len(base.regressions),
               "errors": 0, "skipped": int(base.source is None)}  # fmt: skip
    suite = _element(
        root, "testsuite", name="baseline", **{k: str(v) for k, v in figures.items()},
        time=TIME, timestamp=report.timestamp,
    )  # fmt: skip
    props = _element(suite, "properties")
    _element(props, "property", name="baseline", value=base.source or base.requested)
    if base.source is None:
        case = _element(suite, "testcase", classname="maturity.baseline", name="no baseline",
                        time=TIME)  # fmt: skip
        _element(case, "skipped", base.note, message=f"no baseline: {base.note}")
    elif not base.regressions:
        _element(suite, "testcase", classname="maturity.baseline", name="no regressions",
                 time=TIME)  # fmt: skip
    for r in base.regressions:
        case = _element(suite, "testcase", classname=f"maturity.baseline.{r.component}",
                        name=f"{r.criterion}: {r.title}", time=TIME)  # fmt: skip
        _element(case, "failure", r.line(), message=r.reason, type="regression")
    return figures


def render_junit(report: RunReport) -> str:
    """The run as a JUnit XML document (UTF-8 declared), indented."""
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for comp in report.components:
        figures = counts(comp)
        for key in totals:
            totals[key] += figures[key]
    root = Element("testsuites")
    root.set("name", "maturity")
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", TIME)
    for comp in report.components:
        _testsuite(root, report, comp)
    for key, value in _baseline_suite(root, report).items():
        if key in totals:
            root.set(key, str(totals[key] + value))
    indent(root)
    body = tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
