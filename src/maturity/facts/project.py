"""Facts of the repository's own files: sources, docs, integration test files, issues,
accepted risks."""

from __future__ import annotations

from dataclasses import dataclass, field

from maturity.facts.base import ToolFacts


@dataclass
class SourcesFacts(ToolFacts):
    """The Python files each component owns (keyed by component name)."""

    files: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class PublicSymbol:
    """A public function, class or method and whether it has a docstring."""

    file: str
    line: int
    name: str
    kind: str  # function / class / method
    documented: bool


@dataclass
class ReadmeFacts:
    """What a component README contains."""

    path: str
    overview_words: int
    code_blocks: int
    mermaid_blocks: int
    images: list[str] = field(default_factory=list)  # referenced images that exist
    missing_images: list[str] = field(default_factory=list)


@dataclass
class ComponentDocsFacts:
    """Documentation facts of one component directory."""

    readme: ReadmeFacts | None
    symbols: list[PublicSymbol] = field(default_factory=list)
    modules: int = 0
    code_lines: int = 0
    parse_errors: dict[str, str] = field(default_factory=dict)
    diagram_file: str | None = None  # a configured diagram file that exists


@dataclass
class DocsFacts(ToolFacts):
    """Documentation facts keyed by component path."""

    components: dict[str, ComponentDocsFacts] = field(default_factory=dict)


@dataclass
class FilesFacts(ToolFacts):
    """Files matching the integration test pattern, keyed by component name."""

    pattern: str = ""
    matches: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Issue:
    """An open issue from the tracker."""

    number: int
    title: str
    labels: tuple[str, ...]
    url: str | None = None
    created_at: str | None = None


@dataclass
class IssuesFacts(ToolFacts):
    """Open issues carrying a component label, from GitHub or a local file."""

    source: str | None = None
    issues: list[Issue] = field(default_factory=list)
    misconfigured: bool = False  # ``error`` is the source's configuration, not a failure


@dataclass(frozen=True)
class AcceptedRisk:
    """A line of SECURITY_FINDINGS_ACCEPTED_RISKS.md accepting one bandit finding."""

    test_id: str
    file: str
    line: int | None
    source_line: int  # where in the .md file


@dataclass
class AcceptedRisks(ToolFacts):
    """The parsed accepted-risks document (absent file = no entries, no error)."""

    document: str | None = None
    entries: list[AcceptedRisk] = field(default_factory=list)
