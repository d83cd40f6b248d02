"""README, rollback plans and accepted risks are read as Markdown, not line by line."""

from __future__ import annotations

from pathlib import Path

from maturity.collectors.attested import RollbackCollector
from maturity.collectors.docs import DocsCollector
from maturity.collectors.risks import AcceptedRisksCollector
from tests.helpers import context, write_tree

FENCE = "```"


def test_a_heading_inside_a_code_block_is_not_a_section_of_the_rollback_plan(
    tmp_path: Path,
) -> None:
    root = write_tree(
        tmp_path,
        {
            "src/cart/__init__.py": "",
            "docs/rollback/cart.md": f"""
                # Cart rollback

                ## Trigger conditions
                - error rate above 5%

                {FENCE}bash
                # Step-by-step procedure
                ## Database rollback
                kubectl rollout undo deploy/cart
                {FENCE}

                Estimated
                *rollback* time
                ---------------
                Ten minutes.

                    # Rollback testing verification (an indented code block)
                """,
        },
    )
    facts = RollbackCollector().collect(context(root))
    assert facts.plans == {"cart": "docs/rollback/cart.md"}
    assert facts.missing["cart"] == [
        "step-by-step procedure",
        "database rollback",
        "rollback testing verification",
    ]


def test_readme_prose_images_and_code_come_from_the_markdown_structure(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "src/game/__init__.py": "",
            "src/game/logo.png": "png",
            "src/game/arch.png": "png",
            "src/game/my diagram.png": "png",
            "src/game/README.md": f"""
                Game
                ====

                [![build](https://ci.example.com/badge.svg)](https://ci.example.com) [docs](docs/)

                <p align="center">
                  <img src="logo.png" width="120">
                  Keeps score for every player
                </p>

                <!-- ![hidden](commented-out.png) and many words that are not prose -->

                See [the guide](https://example.com/some/long/path) for more.
                The engine ![diagram][arch] and ![spaced](<my diagram.png>) too.

                [arch]: arch.png

                Shown inline <img src="arch.png" alt="architecture"> here.

                .. note:: a reStructuredText directive is not prose

                <details>
                <pre>
                code in HTML is not prose either
                </pre>
                </details>

                {FENCE}python
                # not a heading, and not an image: ![x](in-code.png)
                {FENCE}

                    indented code is neither prose nor a usage example

                ~~~ Mermaid
                flowchart LR
                ~~~
                """,
        },
    )
    readme = DocsCollector().collect(context(root)).components["src/game"].readme
    assert readme is not None
    # "Keeps score for every player", "See the guide for more", "The engine and too",
    # "Shown inline here"
    assert readme.overview_words == 17
    assert (readme.code_blocks, readme.mermaid_blocks) == (1, 1)
    assert readme.images == [
        "https://ci.example.com/badge.svg",
        "src/game/logo.png",
        "src/game/arch.png",
        "src/game/my diagram.png",
        "src/game/arch.png",
    ]
    assert readme.missing_images == []


def test_accepted_risks_are_rows_and_items_never_code_or_prose(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "src/game/__init__.py": "",
            "SECURITY_FINDINGS_ACCEPTED_RISKS.md": f"""
                # Accepted risks

                {FENCE}
                | B101 | src/game/in_code.py:1 | an example, not an entry |
                - B102 src/game/in_code.py
                {FENCE}

                1. B311 `src/game/dice.py:14`: dice rolls are not
                   security sensitive
                   - B404 src/game/run.py:3 nested under it
                * B603 accepted because the command is fixed,
                  see src/game/run.py:9

                > - B105 src/game/quoted.py:2 in a block quote is a list item too
                """,
        },
    )
    facts = AcceptedRisksCollector().collect(context(root))
    assert [(e.test_id, e.file, e.line, e.source_line) for e in facts.entries] == [
        ("B311", "src/game/dice.py", 14, 8),
        ("B404", "src/game/run.py", 3, 10),
        ("B603", "src/game/run.py", 9, 11),
        ("B105", "src/game/quoted.py", 2, 14),
    ]
