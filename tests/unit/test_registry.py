"""The rulebook and the collectors agree: every fact a criterion needs has a collector,
every collector's facts are needed, and each record is complete."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path

import pytest

from maturity.collectors import BY_NAME, COLLECTORS
from maturity.criteria import REGISTRY, criteria_for
from maturity.facts import Facts
from maturity.model import Stage

PREFIX = {Stage.DEVELOPMENT: "dev.", Stage.STAGING: "stg.", Stage.PRODUCTION: "prd."}


def test_every_needed_fact_has_a_collector_and_every_collector_is_needed() -> None:
    needed = {name for criterion in REGISTRY for name in criterion.needs}
    assert needed - set(BY_NAME) == set(), "facts a criterion needs that no collector fills"
    assert set(BY_NAME) - needed == set(), "collectors no criterion needs"
    assert len(BY_NAME) == len(COLLECTORS), "two collectors fill the same fact"


def test_each_collector_fills_a_facts_field_of_its_declared_type() -> None:
    hints = typing.get_type_hints(Facts)
    fields = {f.name for f in dataclasses.fields(Facts)}
    assert fields == set(BY_NAME), "Facts fields without a collector, or the reverse"
    for name, collector in BY_NAME.items():
        assert hints[name] == collector.facts | None, name
        assert collector.title


@pytest.mark.parametrize("gate", list(Stage))
def test_records_are_complete_and_numbered_in_the_spec_order(gate: Stage) -> None:
    criteria = criteria_for(gate)
    assert [c.number for c in criteria] == list(range(1, len(criteria) + 1))
    for c in criteria:
        assert c.id.startswith(PREFIX[gate])
        assert c.title and c.checklist and c.remediation.endswith(".")
        assert c.needs


def test_a_collector_that_crashes_is_an_error_of_its_facts_never_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from maturity.collectors.base import Collector, RunContext
    from maturity.facts import SourcesFacts
    from maturity.project import load_project
    from maturity.runner import collect
    from tests.helpers import result, write_tree

    class Broken(Collector):
        name = "sources"
        title = "component files"
        facts = SourcesFacts

        def collect(self, ctx: RunContext) -> SourcesFacts:
            raise RuntimeError("a bug")

    monkeypatch.setitem(BY_NAME, "sources", Broken)
    root = write_tree(tmp_path, {"src/pkg/__init__.py": '"""Pkg."""\n'})
    project = load_project(root)
    facts = collect(RunContext(project, "python", root / "run"), ["sources"])
    assert facts.sources is not None
    assert facts.sources.error == (
        "maturity's component files collector failed: RuntimeError: a bug (please report it)"
    )
    from maturity.facts import DocsFacts

    facts.docs = DocsFacts()
    verdict = result(facts, project, "pkg", "dev.documentation")
    assert (verdict.status.value, verdict.summary) == (
        "error",
        "the component's files: " + facts.sources.error,
    )
