"""``SECURITY_FINDINGS_ACCEPTED_RISKS.md``: which low bandit findings are accepted.

Documented format: a Markdown table row (or list item) per accepted finding, naming
the bandit test id (``B311``) and the location, ``path`` or ``path:line`` relative to
the repository root. Any such row or item is an entry; paragraphs, headings and code
blocks are prose. The document is parsed as Markdown (CommonMark with tables).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice, takewhile
from typing import TYPE_CHECKING

from maturity.collectors.base import Collector, RunContext
from maturity.collectors.docs import parse_markdown
from maturity.facts import AcceptedRisk, AcceptedRisks

if TYPE_CHECKING:
    from markdown_it.token import Token

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
        for number, row in _rows(parse_markdown(text)):
            test_id = _TEST_ID.search(row)
            location = _LOCATION.search(row)
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


def _rows(tokens: list[Token]) -> Iterator[tuple[int, str]]:
    """(1-based line, source text) of each table row and of each list item's first
    paragraph, in document order."""
    for i, token in enumerate(tokens):
        if token.map is None:
            continue
        if token.type == "tr_open":
            cells = takewhile(lambda t: t.type != "tr_close", islice(tokens, i + 1, None))
            yield token.map[0] + 1, " | ".join(t.content for t in cells if t.type == "inline")
        elif token.type == "list_item_open" and tokens[i + 1].type == "paragraph_open":
            yield token.map[0] + 1, tokens[i + 2].content
