"""JUnit XML (``--junit``): valid against pytest's junit-10.xsd, read back by junitparser,
escaped, with counts that match the criteria."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import xmlschema
from junitparser import Error, Failure, JUnitXml, Skipped, TestSuite

from maturity.model import ComponentReport, Evidence, RunReport, Stage, Status, Waiver
from maturity.report.formats import Junit
from maturity.report.junit import render_junit, xml_text
from tests.unit.test_reports import crit, decided, make_report

SCHEMA = Path(__file__).parents[1] / "schemas" / "junit-10.xsd"
SCHEMA_SHA256 = "a1a816f58d1bf95ebabf371994df0b9246dee66ea9572fbec4f9296f1b2c0ff6"

# what tools print: colour codes, NUL, BEL, a vertical tab, a lone surrogate, and text that
# breaks naive XML (a CDATA end, markup, an entity start) around a tab
DIRTY = "\x1b[31mboom\x1b[0m \x00\x07\x0b ]]> <&x <b>&amp; \ud800 end\tok"
CLEAN = "boom \\x00\\x07\\x0b ]]> <&x <b>&amp; \\ud800 end\tok"


def waiver(**kw: object) -> Waiver:
    data: dict[str, object] = {
        "criterion": "dev.pyright",
        "justification": "migrating to strict mode",
        "approver": "alice",
        "expires": "2026-12-31",
    }
    data.update(kw)
    return Waiver.model_validate(data)


def dirty_report() -> RunReport:
    """make_report() and a third component: waived, expired-waiver failure, and an
    unmeasured criterion whose summary is raw tool output."""
    scoring = ComponentReport(
        name="scoring",
        label="component:scoring",
        path="src/scoring",
        stage=Stage.DEVELOPMENT,
        target=Stage.STAGING,
        criteria=[
            crit("dev.coverage", "Test coverage", Status.PASS, "91.0%"),
            crit("dev.pyright", "Type checking clean", Status.WAIVED, "3 errors", waiver=waiver()),
            crit(
                "dev.ruff",
                "Linting clean (ruff)",
                Status.FAIL,
                "2 findings",
                threshold="0 findings",
                summary="2 findings",
                waiver=waiver(criterion="dev.ruff", expires="2026-11-01", expired=True),
                evidence=[
                    Evidence(message="E501 line too long", file="src/scoring/a.py", line=3),
                    Evidence(message=f"F841 {DIRTY}", url="https://docs.astral.sh/ruff/"),
                ],
                remediation="Run ruff check --fix.",
                commands=["ruff check src/scoring", "ruff check --statistics"],
            ),
            crit("dev.unit_tests", "Unit tests pass", Status.ERROR, "not measured", summary=DIRTY),
        ],
        ready=False,
        regressed=False,
    )
    report = make_report()
    report.components.append(decided(scoring))
    return report


def read(tmp_path: Path, report: RunReport) -> tuple[Path, JUnitXml]:
    """Write the report with the registered format; parse it back with junitparser."""
    path = tmp_path / "junit.xml"
    Junit().write(report, path)
    parsed = JUnitXml.fromfile(str(path))
    assert isinstance(parsed, JUnitXml)
    return path, parsed


def cases(suite: TestSuite) -> dict[str, list[object]]:
    return {case.name: list(case.result) for case in suite}


def test_the_vendored_schema_is_pytests_file() -> None:
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256


def test_valid_against_junit_10_xsd(tmp_path: Path) -> None:
    schema = xmlschema.XMLSchema(str(SCHEMA))
    path, _ = read(tmp_path, dirty_report())
    schema.validate(str(path))
    empty = make_report().model_copy(update={"components": []})
    schema.validate(render_junit(empty))
    # the schema is strict enough to notice: <testsuites> takes no skipped count
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        schema.validate(render_junit(empty).replace('name="maturity"', 'name="m" skipped="0"'))


def test_a_suite_per_component_a_case_per_criterion_with_right_counts(tmp_path: Path) -> None:
    report = dirty_report()
    _, xml = read(tmp_path, report)
    suites = list(xml)
    assert [s.name for s in suites] == [c.name for c in report.components]
    for suite, comp in zip(suites, report.components, strict=True):
        results = [r for rs in cases(suite).values() for r in rs]
        statuses = [c.status for c in comp.criteria]
        assert suite.tests == len(comp.criteria) == len(list(suite))
        assert suite.failures == statuses.count(Status.FAIL)
        assert suite.failures == sum(isinstance(r, Failure) for r in results)
        assert suite.errors == statuses.count(Status.ERROR)
        assert suite.errors == sum(isinstance(r, Error) for r in results)
        assert suite.skipped == statuses.count(Status.WAIVED)
        assert suite.skipped == sum(isinstance(r, Skipped) for r in results)
        assert suite.timestamp == report.timestamp
        props = {p.name: p.value for p in suite.properties()}
        assert props["verdict"] == comp.verdict
        assert {case.classname for case in suite} == {f"maturity.{comp.name}.development"}
    assert (xml.tests, xml.failures, xml.errors) == (8, 2, 2)
    assert xml.name == "maturity"
    assert [s.skipped for s in suites] == [0, 0, 1]


def test_failures_errors_and_waivers_say_why(tmp_path: Path) -> None:
    _, xml = read(tmp_path, dirty_report())
    scoring = cases(list(xml)[2])
    assert list(scoring) == [
        "dev.coverage: Test coverage",
        "dev.pyright: Type checking clean",
        "dev.ruff: Linting clean (ruff)",
        "dev.unit_tests: Unit tests pass",
    ]
    assert scoring["dev.coverage: Test coverage"] == []
    [skipped] = scoring["dev.pyright: Type checking clean"]
    assert isinstance(skipped, Skipped)
    assert skipped.message == "waived until 2026-12-31 by alice"
    assert skipped.text == "summary of dev.pyright\njustification: migrating to strict mode"
    [failure] = scoring["dev.ruff: Linting clean (ruff)"]
    assert isinstance(failure, Failure)
    assert (failure.message, failure.type) == ("2 findings", "blocker:tests")
    assert failure.text == (
        "2 findings\n"
        "measured: 2 findings, bar: 0 findings\n"
        "waiver expired on 2026-11-01 (approved by alice)\n"
        "evidence:\n"
        "  src/scoring/a.py:3: E501 line too long\n"
        f"  F841 {CLEAN} <https://docs.astral.sh/ruff/>\n"
        "remediation: Run ruff check --fix.\n"
        "reproduce:\n"
        "  $ ruff check src/scoring\n"
        "  $ ruff check --statistics"
    )
    [error] = scoring["dev.unit_tests: Unit tests pass"]
    assert isinstance(error, Error)
    assert error.message == f"could not measure: {CLEAN}"
    assert error.text == f"{CLEAN}\nbar: bar"


def test_control_characters_and_markup_are_escaped_never_raw(tmp_path: Path) -> None:
    path, _ = read(tmp_path, dirty_report())
    raw = path.read_bytes()
    raw.decode("utf-8")  # a lone surrogate would not even encode
    assert not any(ch in raw for ch in (b"\x00", b"\x07", b"\x0b", b"\x1b"))
    assert b"]]&gt; &lt;&amp;x &lt;b&gt;&amp;amp;" in raw  # in text and in the message attribute
    assert b"<b>" not in raw
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')


def test_xml_text_keeps_legal_text_and_shows_the_rest() -> None:
    assert xml_text("plain ≥70% \t\n\r 😀") == "plain ≥70% \t\n\r 😀"
    assert xml_text("\x1b[1;31mred\x1b[0m") == "red"
    assert xml_text("a\x00b\x1fc\ufffed\udfffe") == "a\\x00b\\x1fc\\ufffed\\udfffe"


def test_long_evidence_is_cut_with_the_count_left_out() -> None:
    report = make_report()
    ruff = report.components[1].criteria[0]
    ruff.evidence = [Evidence(message=f"finding {i}") for i in range(60)]
    text = render_junit(report)
    assert "finding 49\n" in text
    assert "finding 50" not in text
    assert "… and 10 more" in text


def test_baseline_regressions_fail_a_baseline_suite_as_check_does(tmp_path: Path) -> None:
    from maturity.model import BaselineComparison, Regression

    report = make_report()
    regression = Regression(
        component="player_experience", criterion="dev.ruff", title="Linting clean (ruff)",
        before="0 findings", after="fail (1 finding)", reason="met in the baseline, not met now",
    )  # fmt: skip
    report.baseline = BaselineComparison(
        requested="main", source="run #1", regressions=[regression]
    )
    path, parsed = read(tmp_path, report)
    xmlschema.XMLSchema(str(SCHEMA)).validate(str(path))
    suites = {suite.name: suite for suite in parsed}
    baseline = suites["baseline"]
    assert (baseline.tests, baseline.failures) == (1, 1)
    (result,) = cases(baseline)["dev.ruff: Linting clean (ruff)"]
    assert isinstance(result, Failure)
    assert result.message == "met in the baseline, not met now"
    assert result.text == regression.line()
    per_component = sum(s.failures or 0 for name, s in suites.items() if name != "baseline")
    assert parsed.failures == per_component + 1  # the totals count it

    report.baseline = BaselineComparison(requested="main", note="'main' is not a commit")
    path, parsed = read(tmp_path, report)
    xmlschema.XMLSchema(str(SCHEMA)).validate(str(path))
    (skipped,) = cases({s.name: s for s in parsed}["baseline"])["no baseline"]
    assert isinstance(skipped, Skipped)
    assert skipped.message == "no baseline: 'main' is not a commit"
