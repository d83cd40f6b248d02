"""Facts from committed files: attestations, rollback plans, health endpoints."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import httpx

from maturity import attestations
from maturity.collectors.base import RunContext
from maturity.collectors.docs import headings, parse_markdown
from maturity.facts import ToolFacts
from maturity.retry import retry

ROLLBACK_SECTIONS = {
    "trigger conditions": r"trigger",
    "step-by-step procedure": r"(rollback )?(steps|procedure)",
    "database rollback": r"database",
    "estimated time": r"estimated (rollback )?time",
    "rollback testing verification": r"(testing|tested|verification|verified)",
}


@dataclass
class AttestationFacts(ToolFacts):
    """Attestation records per component name (kind -> record), or a per-component error."""

    records: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


class AttestationsCollector:
    """Reads ``.maturity/attestations/<component>.yaml``."""

    name = "attestations"
    title = "attestations"

    def collect(self, ctx: RunContext) -> AttestationFacts:
        """Every component's records (missing file = no records)."""
        facts = AttestationFacts(tool="attestations", command="cat .maturity/attestations/*.yaml")
        for comp in ctx.project.components:
            try:
                facts.records[comp.name] = attestations.read(ctx.root, comp.name)
            except ValueError as exc:
                facts.errors[comp.name] = str(exc)
        return facts


@dataclass
class RollbackFacts(ToolFacts):
    """Per component: the plan's path (None when missing) and the sections it lacks."""

    plans: dict[str, str | None] = field(default_factory=dict)
    missing: dict[str, list[str]] = field(default_factory=dict)


class RollbackCollector:
    """Checks ``docs/rollback/<component>.md`` for the sections a rollback plan needs: its
    Markdown headings (not ``#`` lines inside code blocks) must name each of them."""

    name = "rollback"
    title = "rollback plans"

    def collect(self, ctx: RunContext) -> RollbackFacts:
        """Which required sections each plan's headings cover."""
        facts = RollbackFacts(tool="rollback", command="ls docs/rollback/")
        for comp in ctx.project.components:
            rel = f"docs/rollback/{comp.name}.md"
            path = ctx.root / rel
            if not path.is_file():
                facts.plans[comp.name] = None
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            titles = [h.lower() for h in headings(parse_markdown(text))]
            facts.plans[comp.name] = rel
            facts.missing[comp.name] = [
                name
                for name, pattern in ROLLBACK_SECTIONS.items()
                if not any(re.search(pattern, h) for h in titles)
            ]
        return facts


@dataclass
class HealthFacts(ToolFacts):
    """Per component with a health URL: (HTTP status or None, message)."""

    checks: dict[str, tuple[int | None, str]] = field(default_factory=dict)


class HealthCollector:
    """GETs each component's configured ``health_url`` (timeout, 3 tries)."""

    name = "health"
    title = "staging health"
    delays: tuple[float, ...] = (0.2, 0.4)  # waits between the tries: 3 tries
    timeout = 5.0

    def collect(self, ctx: RunContext) -> HealthFacts:
        """The status each health URL answered, or why it could not be reached."""
        facts = HealthFacts(tool="httpx", command="curl <health_url>")
        for comp in ctx.project.components:
            if not comp.health_url:
                continue
            facts.checks[comp.name] = self._probe(comp.health_url)
        return facts

    def _probe(self, url: str) -> tuple[int | None, str]:
        tries = len(self.delays) + 1
        try:
            response = retry(
                lambda: httpx.get(url, timeout=self.timeout),
                delays=self.delays,
                on=(httpx.HTTPError,),
                again=lambda answer: answer.status_code != 200,
            )
        except httpx.HTTPError as exc:
            return None, f"{url} unreachable: {exc!s} (after {tries} tries)"
        if response.status_code == 200:
            return 200, f"{url} answered 200"
        return None, f"{url} answered HTTP {response.status_code} (after {tries} tries)"
