"""Facts from committed files: attestations, rollback plans, health endpoints."""

from __future__ import annotations

import re

from maturity import attestations
from maturity.collectors.base import Collector, RunContext
from maturity.collectors.docs import headings, parse_markdown
from maturity.facts import ROLLBACK_SECTIONS, AttestationFacts, HealthFacts, RollbackFacts
from maturity.retry import retry


class AttestationsCollector(Collector):
    """Reads ``.maturity/attestations/<component>.yaml``."""

    name = "attestations"
    title = "attestations"
    facts = AttestationFacts

    def collect(self, ctx: RunContext) -> AttestationFacts:
        """Every component's records (missing file = no records)."""
        facts = AttestationFacts(tool="attestations", command="cat .maturity/attestations/*.yaml")
        for comp in ctx.project.components:
            try:
                facts.records[comp.name] = attestations.read(ctx.root, comp.name)
            except ValueError as exc:
                facts.errors[comp.name] = str(exc)
        return facts


class RollbackCollector(Collector):
    """Checks ``docs/rollback/<component>.md`` for the sections a rollback plan needs: its
    Markdown headings (not ``#`` lines inside code blocks) must name each of them."""

    name = "rollback"
    title = "rollback plans"
    facts = RollbackFacts

    def collect(self, ctx: RunContext) -> RollbackFacts:
        """Which required sections each plan's headings cover."""
        facts = RollbackFacts(tool="rollback", command="ls docs/rollback/")
        for comp in ctx.project.components:
            rel = f"docs/rollback/{comp.name}.md"
            if comp.project != ".":  # a workspace member's own docs/, else the root's
                own = f"{comp.project}/docs/rollback/{comp.name}.md"
                rel = own if (ctx.root / own).is_file() else rel
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


class HealthCollector(Collector):
    """GETs each component's configured ``health_url`` (timeout, 3 tries)."""

    name = "health"
    title = "staging health"
    facts = HealthFacts
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
        import httpx

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
