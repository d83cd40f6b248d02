"""``SECURITY_FINDINGS_ACCEPTED_RISKS.md``: which low bandit findings are accepted.

Documented format: a Markdown table row (or list item) per accepted finding, naming
the bandit test id (``B311``) and the location, ``path`` or ``path:line`` relative to
the repository root. Any such line is an entry; other lines are prose.
"""

from __future__ import annotations

import re

from maturity.collectors.base import Collector, RunContext
from maturity.facts import AcceptedRisk, AcceptedRisks

DOCUMENT = "SECURITY_FINDINGS_ACCEPTED_RISKS.md"
_TEST_ID = re.compile(r"\b(B\d{3})\b")
_LOCATION = re.compile(r"([\w./-]+\.py)(?::(\d+))?")


class AcceptedRisksCollector(Collector):
    """Parse the accepted-risks document; an absent document has no entries."""

    name = "accepted_risks"
    title = "accepted risks"
    facts = AcceptedRisks

    def collect(self, ctx: RunContext) -> AcceptedRisks:
        """Entries of the document (test id, file, optional line)."""
        path = ctx.root / DOCUMENT
        facts = AcceptedRisks(command=f"cat {DOCUMENT}")
        if not path.is_file():
            return facts
        facts.document = DOCUMENT
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            facts.error = f"{DOCUMENT}: cannot read: {exc}"
            return facts
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            if not stripped.startswith(("|", "-", "*")):
                continue
            test_id = _TEST_ID.search(stripped)
            location = _LOCATION.search(stripped)
            if test_id and location:
                facts.entries.append(
                    AcceptedRisk(
                        test_id=test_id.group(1),
                        file=location.group(1).removeprefix("./"),
                        line=int(location.group(2)) if location.group(2) else None,
                        source_line=number,
                    )
                )
        return facts
