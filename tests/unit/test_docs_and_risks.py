"""Documentation scan, accepted risks and integration files on real files."""

from __future__ import annotations

from pathlib import Path

from maturity.collectors.docs import DocsCollector
from maturity.collectors.files import IntegrationFilesCollector
from maturity.collectors.risks import AcceptedRisksCollector
from tests.helpers import context, write_tree

MODULE = '''
"""Module docstring."""
from typing import overload


def documented() -> None:
    """Yes."""


def undocumented() -> None:
    pass


async def also_undocumented() -> None:
    pass


def _private() -> None:
    pass


@overload
def over(x: int) -> int: ...
@overload
def over(x: str) -> str: ...
def over(x):
    """Implementation."""
    return x


class Thing:
    """A thing."""

    def method(self) -> None:
        pass

    def _hidden(self) -> None:
        pass

    def __init__(self) -> None:
        pass

    class Inner:
        pass


class _Private:
    def method(self) -> None:
        pass
'''


def test_public_symbols_and_their_docstrings(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "src/game/__init__.py": "",
            "src/game/core.py": MODULE,
            "src/game/_internal.py": "def hidden():\n    pass\n",
            "src/game/_impl/x.py": "def hidden():\n    pass\n",
            "src/game/exported.py": '__all__ = ["_special"]\n\ndef _special():\n    pass\n\ndef public_but_not_exported():\n    pass\n',
        },
    )
    facts = DocsCollector().collect(context(root)).components["src/game"]
    missing = sorted((s.file, s.line, s.name, s.kind) for s in facts.symbols if not s.documented)
    assert missing == [
        ("src/game/core.py", 9, "undocumented", "function"),
        ("src/game/core.py", 13, "also_undocumented", "function"),
        ("src/game/core.py", 33, "Thing.method", "method"),
        ("src/game/core.py", 42, "Thing.Inner", "class"),
        ("src/game/exported.py", 3, "_special", "function"),
    ]
    documented = sorted(s.name for s in facts.symbols if s.documented)
    assert documented == ["Thing", "documented", "over"]
    assert facts.modules == 5
    assert facts.readme is None
    assert facts.parse_errors == {}


def test_readme_analysis(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "src/game/__init__.py": "",
            "src/game/diagram.png": "png",
            "src/game/README.md": """
                # game

                <!-- a comment with many many words that do not count at all here -->
                The game component runs the turn loop and keeps score for every player.

                | a | b |
                |---|---|

                ![architecture](diagram.png)
                ![gone](missing.svg)
                ![remote](https://example.com/x.png)

                ```python
                import game
                ```

                ~~~mermaid
                flowchart LR
                ~~~
                """,
        },
    )
    readme = DocsCollector().collect(context(root)).components["src/game"].readme
    assert readme is not None
    assert readme.path == "src/game/README.md"
    assert readme.overview_words == 13
    assert (readme.code_blocks, readme.mermaid_blocks) == (1, 1)
    assert readme.images == ["src/game/diagram.png", "https://example.com/x.png"]
    assert readme.missing_images == ["src/game/missing.svg"]


def test_syntax_error_and_configured_diagram(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.maturity.components.game]\narchitecture_diagram = "docs/game.md"\n',
            "docs/game.md": "diagram",
            "src/game/__init__.py": "# comment\n\nx = 1\n",
            "src/game/bad.py": "def broken(:\n",
        },
    )
    facts = DocsCollector().collect(context(root)).components["src/game"]
    assert facts.parse_errors == {"src/game/bad.py": "SyntaxError: invalid syntax (line 1)"}
    assert facts.diagram_file == "docs/game.md"
    assert facts.code_lines == 2


def test_accepted_risks_table_and_list(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "src/game/__init__.py": "",
            "SECURITY_FINDINGS_ACCEPTED_RISKS.md": """
                # Accepted risks

                B101 in prose does not count: src/game/a.py

                | Test ID | Location | Severity |
                |---|---|---|
                | B311 | src/game/dice.py:14 | Low |
                - B404 ./src/game/run.py accepted for the whole file
                | B999 | no location here | Low |
                """,
        },
    )
    facts = AcceptedRisksCollector().collect(context(root))
    assert facts.document == "SECURITY_FINDINGS_ACCEPTED_RISKS.md"
    assert [(e.test_id, e.file, e.line, e.source_line) for e in facts.entries] == [
        ("B311", "src/game/dice.py", 14, 7),
        ("B404", "src/game/run.py", None, 8),
    ]


def test_no_risks_document_means_no_entries(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"src/game/__init__.py": ""})
    facts = AcceptedRisksCollector().collect(context(root))
    assert (facts.document, facts.entries, facts.error) == (None, [], None)


def test_integration_files_per_component(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "src/game/__init__.py": "",
            "src/game_ui/__init__.py": "",
            "tests/integration/test_game_b.py": "",
            "tests/integration/test_game_a.py": "",
            "tests/integration/test_game_ui_x.py": "",
        },
    )
    facts = IntegrationFilesCollector().collect(context(root))
    # test_game_*.py also matches test_game_ui_x.py: the more specific component owns it
    assert facts.matches["game"] == [
        "tests/integration/test_game_a.py",
        "tests/integration/test_game_b.py",
    ]
    assert facts.matches["game_ui"] == ["tests/integration/test_game_ui_x.py"]


def test_pyright_diagnostics_without_a_range_or_a_file_never_crash_the_collector() -> None:
    from maturity.collectors.pyright import read_diagnostics
    from maturity.facts import FindingsFacts

    facts = FindingsFacts()
    read_diagnostics(
        [
            {"file": "/r/src/a.py", "severity": "error", "message": "Code is too complex"},
            {"severity": "error", "message": "Import cycle\nsecond line", "rule": "x"},
            {"file": "/r/src/b.py", "severity": "warning", "message": "w",
             "range": {"start": {"line": 4, "character": 0}}, "rule": "reportFoo"},
            {"file": "/r/src/c.py", "severity": "information", "message": "ignored"},
        ],
        facts,
        lambda path: path.removeprefix("/r/"),
    )  # fmt: skip
    assert [(f.file, f.line, f.code) for f in facts.findings] == [
        ("src/a.py", None, "pyright"),
        ("src/b.py", 5, "reportFoo"),
    ]
    assert facts.general == ["error: Import cycle"]
