"""Vulnerability sightings: typed, computed from the security and history facts for exactly
the components and vulnerabilities ``prd.security_patching`` judges."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from maturity.config import MaturityConfig, WaiverConfig
from maturity.evaluate import evaluate, sightings
from maturity.facts import Facts, HistoryFacts, SecurityFacts, Vulnerability
from maturity.model import Stage, VulnerabilitySighting
from maturity.project import Component

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
CONFIG = MaturityConfig.model_validate({"production": {"at": NOW.timestamp()}})


def comp(name: str, stage: Stage = Stage.PRODUCTION, **extra: Any) -> Component:
    return Component(name=name, path=f"src/{name}", stage=stage, marker=name, tests=[], **extra)


def security(**changes: Any) -> SecurityFacts:
    facts = SecurityFacts(
        dependencies={"shop": {"pyyaml": "6.0", "idna": "3.4"}, "cart": {"requests": "2.0"},
                      "docs": {"pyyaml": "6.0"}},
        audit="offline OSV advisories in advisories",
        vulnerabilities=[
            Vulnerability("GHSA-a", "pyyaml", "6.0", severity="high"),
            Vulnerability("GHSA-b", "idna", "3.4"),
            Vulnerability("GHSA-c", "requests", "2.0", severity="critical"),
            Vulnerability("GHSA-d", "jinja2", "3.0", severity="low"),  # no component's
        ],
    )  # fmt: skip
    for key, value in changes.items():
        setattr(facts, key, value)
    return facts


HISTORY = HistoryFacts(first_seen={("shop", "GHSA-a"): NOW - timedelta(days=3)})
COMPONENTS = [
    comp("shop"),
    comp("cart"),
    comp("docs", Stage.DEVELOPMENT),  # production criteria not judged at its stage
]


def judged(facts: Facts, components: list[Component], stage: Stage | None) -> list[tuple]:
    """What prd.security_patching judged, from its details: the old source of sightings."""
    return [
        (c.name, v["id"], v["package"], v["version"], v["severity"], v["first_seen"])
        for c in evaluate(facts, components, CONFIG, stage, now=NOW)
        for crit in c.criteria
        if crit.id == "prd.security_patching"
        for v in crit.details.get("vulnerabilities") or []
    ]


def typed(found: list[VulnerabilitySighting]) -> list[tuple]:
    return [
        (s.component, s.vulnerability, s.package, s.version, s.severity, s.first_seen.isoformat())
        for s in found
    ]


def test_each_judged_vulnerability_is_a_typed_sighting() -> None:
    facts = Facts(security=security(), history=HISTORY)
    found = sightings(facts, COMPONENTS, CONFIG, now=NOW)
    assert typed(found) == [
        ("shop", "GHSA-a", "pyyaml", "6.0", "high", (NOW - timedelta(days=3)).isoformat()),
        ("shop", "GHSA-b", "idna", "3.4", None, NOW.isoformat()),  # first seen: now
        ("cart", "GHSA-c", "requests", "2.0", "critical", NOW.isoformat()),
    ]
    assert typed(found) == judged(facts, COMPONENTS, None)


@pytest.mark.parametrize(
    ("facts", "stage"),
    [
        (Facts(security=security(), history=HISTORY), Stage.PRODUCTION),  # docs judged too
        (Facts(security=security(skipped={"idna": "not on PyPI"}), history=HISTORY), None),
        (Facts(security=security(audit_error="advisories missing"), history=HISTORY), None),
        (Facts(security=security(error="pip failed"), history=HISTORY), None),
        (Facts(security=security(), history=HistoryFacts(error="database down")), None),
        (Facts(security=security()), None),
        (Facts(history=HISTORY), None),
    ],
    ids=[
        "judged-stage",
        "skipped",
        "audit-error",
        "security-error",
        "history-error",
        "no-history-facts",
        "no-security-facts",
    ],
)
def test_sightings_are_what_the_patching_criterion_judges(
    facts: Facts, stage: Stage | None
) -> None:
    assert typed(sightings(facts, COMPONENTS, CONFIG, stage, now=NOW)) == judged(
        facts, COMPONENTS, stage
    )


def test_a_skipped_dependency_hides_only_its_components_sightings() -> None:
    facts = Facts(security=security(skipped={"idna": "not on PyPI"}), history=HISTORY)
    assert [s.component for s in sightings(facts, COMPONENTS, CONFIG, now=NOW)] == ["cart"]


def test_a_waived_unmeasured_criterion_has_no_sightings() -> None:
    waiver = WaiverConfig(
        criterion="prd.security_patching", justification="audit tool down", approver="Dana",
        expires=date(2099, 1, 1), unmeasurable=True,
    )  # fmt: skip
    shop = comp("shop", waivers=[waiver])
    facts = Facts(security=security(audit_error="advisories missing"), history=HISTORY)
    report = evaluate(facts, [shop], CONFIG, now=NOW)[0]
    assert next(
        c for c in report.criteria if c.id == "prd.security_patching"
    ).met  # waived, unmeasurable = true
    assert sightings(facts, [shop], CONFIG, now=NOW) == []
