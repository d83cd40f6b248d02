"""The report's vocabulary: the stages, the verdict statuses, the blocker categories, what
a criterion's figure counts and what a stage's criteria mean to a component, and the
criterion ids and short titles every surface names."""

from __future__ import annotations

from enum import StrEnum

COVERAGE = "dev.coverage"  # the criterion whose value is a component's test coverage %

# Column headings where a criterion's full title does not fit (dashboard, terminal matrix).
SHORT_TITLES = {
    "dev.coverage": "Coverage",
    "dev.unit_tests": "Unit tests",
    "dev.ruff": "Ruff",
    "dev.pyright": "Pyright",
    "dev.security_scan": "Security scan",
    "dev.integration_tests": "Integration tests",
    "dev.documentation": "Docs",
    "dev.blockers": "Blocker issues",
}


class Stage(StrEnum):
    """A maturity stage, in promotion order."""

    DEVELOPMENT = "development"
    STAGING = "staging"
    PRODUCTION = "production"

    @property
    def next(self) -> Stage | None:
        """The stage a component of this stage is promoted to, if any."""
        order = list(Stage)
        index = order.index(self)
        return order[index + 1] if index + 1 < len(order) else None

    @property
    def previous(self) -> list[Stage]:
        """The stages before this one, oldest first."""
        order = list(Stage)
        return order[: order.index(self)]


class Status(StrEnum):
    """The verdict on one criterion for one component."""

    PASS = "pass"  # noqa: S105  # nosec B105 - a status word, not a password
    FAIL = "fail"
    ERROR = "error"  # could not be measured; never counts as met
    WAIVED = "waived"  # not met, but a valid, unexpired waiver lets it pass the gate


class BlockerCategory(StrEnum):
    """The spec's promotion blocker categories (label ``blocker:<category>``)."""

    TESTS = "tests"
    SECURITY = "security"
    PERFORMANCE = "performance"
    DOCUMENTATION = "documentation"
    DEPENDENCIES = "dependencies"
    # not a blocker of the spec: the setup maturity needs is missing or wrong (e.g. no issue
    # source); shown, never filed as a GitHub blocker issue
    CONFIGURATION = "configuration"


class Figure(StrEnum):
    """What a criterion's figure counts, for the baseline ratchet (``check --baseline``)."""

    COVERAGE = "coverage"  # value: percent covered; worse when lower
    TESTS = "tests"  # details.counts: failed + error tests; worse when more
    FINDINGS = "findings"  # value: findings counted against the bar; worse when more
    VULNERABILITIES = "vulnerabilities"  # value: vulnerabilities (and audit problems)


class GateRole(StrEnum):
    """What a stage's criteria mean for a component, given the stage it holds."""

    ENTRY = "entry"  # a stage before the held one: its exit criteria, kept (else REGRESSED)
    EXIT = "exit"  # the held stage's exit criteria: met = ready for the next stage
    MAINTENANCE = "maintenance"  # production's criteria, while in production (else AT RISK)
    AHEAD = "ahead"  # a stage after the held one, judged on request (run --stage)
