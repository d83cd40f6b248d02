"""Waivers: documented exceptions with an approver and an expiry date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from maturity.config import WaiverConfig
from maturity.errors import ConfigError
from maturity.evaluate import apply_waiver
from maturity.model import BlockerCategory, CriterionResult, Stage, Status
from maturity.project import Component, load_project
from tests.helpers import cli, write_tree

TODAY = date(2026, 11, 24)


def result(status: Status) -> CriterionResult:
    return CriterionResult(
        id="dev.ruff", title="Linting clean (ruff)", gate=Stage.DEVELOPMENT,
        blocker_category=BlockerCategory.TESTS, status=status, value=3, display="3 findings",
        threshold="0 findings", summary="3 findings: E501",
    )  # fmt: skip


def comp(expires: date, unmeasurable: bool = False) -> Component:
    waiver = WaiverConfig(
        criterion="dev.ruff", justification="legacy module, rewrite planned",
        approver="Dana Reyes", expires=expires, unmeasurable=unmeasurable,
    )  # fmt: skip
    return Component(
        name="g", path="src/g", stage=Stage.DEVELOPMENT, marker="g", tests=[], waivers=[waiver]
    )


def test_a_valid_waiver_lets_the_failure_pass_the_gate_and_keeps_the_figure() -> None:
    waived = apply_waiver(result(Status.FAIL), comp(date(2026, 12, 31)), TODAY)
    assert waived.status is Status.WAIVED and waived.met
    assert waived.display == "3 findings"
    assert waived.summary == (
        "waived until 2026-12-31 by Dana Reyes: legacy module, rewrite planned"
        " (measured: 3 findings: E501)"
    )
    assert waived.waiver is not None and waived.waiver.expired is False


def test_an_expired_waiver_counts_as_the_underlying_result_and_is_flagged() -> None:
    expired = apply_waiver(result(Status.FAIL), comp(date(2026, 11, 23)), TODAY)
    assert expired.status is Status.FAIL and not expired.met
    assert expired.summary.startswith("waiver expired 2026-11-23; ")
    assert expired.waiver is not None and expired.waiver.expired is True
    # the last day still counts
    assert apply_waiver(result(Status.FAIL), comp(TODAY), TODAY).status is Status.WAIVED


def test_a_waiver_does_not_turn_could_not_measure_into_waived() -> None:
    kept = apply_waiver(result(Status.ERROR), comp(date(2026, 12, 31)), TODAY)
    assert kept.status is Status.ERROR and not kept.met
    assert kept.summary.startswith("waiver does not apply: could not measure")
    assert kept.summary.endswith("; 3 findings: E501")
    assert kept.waiver is not None and kept.waiver.unmeasurable is False
    passing = apply_waiver(result(Status.PASS), comp(date(2026, 12, 31)), TODAY)
    assert passing.status is Status.PASS


def test_a_waiver_marked_unmeasurable_waives_an_error_visibly() -> None:
    waived = apply_waiver(result(Status.ERROR), comp(date(2026, 12, 31), unmeasurable=True), TODAY)
    assert waived.status is Status.WAIVED and waived.met
    assert waived.summary.endswith("(could not measure: 3 findings: E501)")
    assert waived.waiver is not None and waived.waiver.unmeasurable is True
    # an expired one never applies, whatever it says
    expired = apply_waiver(result(Status.ERROR), comp(date(2026, 1, 1), unmeasurable=True), TODAY)
    assert expired.status is Status.ERROR


def test_unmeasurable_is_read_from_config_and_defaults_to_false(tmp_path: Path) -> None:
    body = 'criterion = "dev.ruff"\njustification = "x"\napprover = "y"\nexpires = 2027-01-31\n'
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                f"[[tool.maturity.components.g.waivers]]\n{body}"
                f"[[tool.maturity.components.h.waivers]]\n{body}unmeasurable = true\n"
            ),
            "src/g/__init__.py": "",
            "src/h/__init__.py": "",
        },
    )
    project = load_project(tmp_path)
    assert project.component("g").waivers[0].unmeasurable is False
    assert project.component("h").waivers[0].unmeasurable is True


@pytest.mark.parametrize("missing", ["justification", "approver", "expires", "criterion"])
def test_a_waiver_missing_a_field_is_a_config_error(tmp_path: Path, missing: str) -> None:
    fields = {
        "criterion": '"dev.ruff"', "justification": '"x"', "approver": '"y"',
        "expires": "2027-01-31",
    }  # fmt: skip
    body = "\n".join(f"{k} = {v}" for k, v in fields.items() if k != missing)
    write_tree(
        tmp_path,
        {
            "pyproject.toml": f"[[tool.maturity.components.g.waivers]]\n{body}\n",
            "src/g/__init__.py": "",
        },
    )
    with pytest.raises(ConfigError) as info:
        load_project(tmp_path)
    assert f"tool.maturity.components.g.waivers.0.{missing}: Field required" in str(info.value)
    code, _, err = cli("check", str(tmp_path))
    assert code == 2 and "Field required" in err


def test_a_waiver_for_an_unknown_criterion_is_a_config_error(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                "[[tool.maturity.components.g.waivers]]\n"
                'criterion = "dev.nope"\njustification = "x"\napprover = "y"\n'
                "expires = 2027-01-31\n"
            ),
            "src/g/__init__.py": "",
        },
    )
    code, _, err = cli("check", str(tmp_path))
    assert code == 2
    assert "tool.maturity.components.g.waivers: unknown criterion 'dev.nope'" in err
