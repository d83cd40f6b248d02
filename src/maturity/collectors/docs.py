"""Documentation facts: the component README (parsed as Markdown), public docstrings,
size (AST, no import)."""

from __future__ import annotations

import ast
import functools
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from maturity.collectors.base import Collector, Inputs, RunContext
from maturity.collectors.sources import owned_python_files
from maturity.facts import ComponentDocsFacts, DocsFacts, PublicSymbol, ReadmeFacts
from maturity.paths import within
from maturity.project import Component
from maturity.pysource import parse_python

if TYPE_CHECKING:  # markdown-it is imported when a document is read
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

README_NAMES = ("README.md", "readme.md", "README.rst")
_WORD = re.compile(r"[A-Za-z]{2,}")
_BREAKS = ("softbreak", "hardbreak")


def parse_markdown(text: str) -> list[Token]:
    """The block tokens of a CommonMark document with GitHub's tables."""
    return _markdown().parse(text)


@functools.cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def plain_text(inline: Token) -> str:
    """What an inline token reads as: its text and code spans, no markup, no link targets."""
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in _BREAKS:
            parts.append(" ")
    return "".join(parts)


def headings(tokens: list[Token]) -> list[str]:
    """The text of every heading (ATX or setext); code blocks hold none."""
    return [
        plain_text(tokens[i + 1])
        for i, token in enumerate(tokens[:-1])
        if token.type == "heading_open"
    ]


class _Html(HTMLParser):
    """Images (``<img src>``) and the words of the text of a piece of HTML."""

    _CODE = frozenset({"pre", "code", "script", "style"})

    def __init__(self, html: str) -> None:
        super().__init__()
        self.images: list[str] = []
        self.words = 0
        self._in_code = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images += [value for name, value in attrs if name == "src" and value]
        elif tag in self._CODE:
            self._in_code += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._CODE and self._in_code:
            self._in_code -= 1

    def handle_data(self, data: str) -> None:
        if not self._in_code:
            self.words += len(_WORD.findall(data))


def _lines(inline: Token) -> list[list[Token]]:
    lines: list[list[Token]] = [[]]
    for child in inline.children or []:
        if child.type in _BREAKS:
            lines.append([])
        else:
            lines[-1].append(child)
    return lines


def _prose_words(line: list[Token]) -> int:
    """Words of one source line of a paragraph: none on a line of only links and images
    (a badge row, a table of contents) or an reStructuredText directive (``..``)."""
    if line and line[0].type == "text" and line[0].content.lstrip().startswith(".."):
        return 0
    depth = 0
    link_only = True
    words = 0
    for token in line:
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
        elif token.type in ("text", "code_inline"):
            words += len(_WORD.findall(token.content))
            if not depth and token.content.strip():
                link_only = False
        elif token.type != "image":
            link_only = False
    return 0 if link_only else words


def _images(tokens: list[Token]) -> list[str]:
    """Image sources in document order: Markdown images and HTML ``<img>``."""
    found: list[str] = []
    for token in tokens:
        if token.type == "html_block":
            found += _Html(token.content).images
        for child in token.children or []:
            if child.type == "image":
                found.append(str(child.attrs.get("src", "")))
            elif child.type == "html_inline":
                found += _Html(child.content).images
    return found


def scan_readme(path: Path, root: Path) -> ReadmeFacts:
    """Count prose words, code blocks, mermaid blocks and images of a README.

    Prose is the text of paragraphs, list items, block quotes and HTML blocks: not
    headings, tables, code, HTML comments, link targets, nor lines of only links.
    """
    tokens = parse_markdown(path.read_text(encoding="utf-8", errors="replace"))
    words = code = mermaid = 0
    for i, token in enumerate(tokens):
        if token.type == "fence":
            if token.info.lower().split(maxsplit=1)[:1] == ["mermaid"]:
                mermaid += 1
            else:
                code += 1
        elif token.type == "html_block":
            words += _Html(token.content).words
        elif token.type == "inline" and tokens[i - 1].type == "paragraph_open":
            words += sum(_prose_words(line) for line in _lines(token))
    images: list[str] = []
    missing: list[str] = []
    for ref in _images(tokens):
        if ref.startswith(("http://", "https://")):
            images.append(ref)
            continue
        target = (path.parent / unquote(ref.split("#")[0])).resolve()
        shown = target.relative_to(root).as_posix() if target.is_relative_to(root) else ref
        (images if target.is_file() else missing).append(shown)
    return ReadmeFacts(
        path=path.relative_to(root).as_posix(),
        overview_words=words,
        code_blocks=code,
        mermaid_blocks=mermaid,
        images=images,
        missing_images=missing,
    )


def _is_overload(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for deco in node.decorator_list:
        name = deco.attr if isinstance(deco, ast.Attribute) else getattr(deco, "id", "")
        if name == "overload":
            return True
    return False


def _dunder_all(tree: ast.Module) -> set[str] | None:
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                value = node.value
                if isinstance(value, ast.List | ast.Tuple):
                    return {
                        e.value
                        for e in value.elts
                        if isinstance(e, ast.Constant) and isinstance(e.value, str)
                    }
    return None


def public_symbols(tree: ast.Module, file: str) -> list[PublicSymbol]:
    """Public functions, classes and methods of a module, with docstring presence."""
    exported = _dunder_all(tree)
    out: list[PublicSymbol] = []

    def add(node: ast.AST, name: str, kind: str) -> None:
        doc = (
            ast.get_docstring(node)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            else None
        )
        line = getattr(node, "lineno", 0)
        out.append(PublicSymbol(file, line, name, kind, bool(doc and doc.strip())))

    for node in tree.body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        public = node.name in exported if exported is not None else not node.name.startswith("_")
        if not public:
            continue
        if isinstance(node, ast.ClassDef):
            add(node, node.name, "class")
            for member in node.body:
                if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
                    if not member.name.startswith("_") and not _is_overload(member):
                        add(member, f"{node.name}.{member.name}", "method")
                elif isinstance(member, ast.ClassDef) and not member.name.startswith("_"):
                    add(member, f"{node.name}.{member.name}", "class")
        elif not _is_overload(node):
            add(node, node.name, "function")
    return out


def _private(rel: Path) -> bool:
    parts = rel.parts
    if any(p.startswith("_") for p in parts[:-1]):
        return True
    return parts[-1].startswith("_") and parts[-1] != "__init__.py"


def scan_component(comp: Component, root: Path) -> ComponentDocsFacts:
    """Documentation facts of one component directory. Its README is looked for in its
    source directory, then in its project directory (a workspace member's README lies
    beside its pyproject.toml) unless that is the repository root, shared by all."""
    base = root / comp.path
    places = [base] if comp.project == "." else [base, root / comp.project]
    readme = next((d / n for d in places for n in README_NAMES if (d / n).is_file()), None)
    facts = ComponentDocsFacts(readme=scan_readme(readme, root) if readme else None)
    if comp.architecture_diagram and (root / comp.architecture_diagram).is_file():
        facts.diagram_file = comp.architecture_diagram
    for path in owned_python_files(root, comp):
        rel = path.relative_to(root).as_posix()
        source = path.read_text(encoding="utf-8", errors="replace")
        facts.modules += 1
        facts.code_lines += sum(
            1 for line in source.splitlines() if line.strip() and not line.strip().startswith("#")
        )
        try:
            tree = parse_python(source, filename=rel)
        except SyntaxError as exc:
            facts.parse_errors[rel] = f"SyntaxError: {exc.msg} (line {exc.lineno})"
            continue
        if not _private(path.relative_to(base)):
            facts.symbols += public_symbols(tree, rel)
    return facts


class DocsCollector(Collector):
    """README, docstrings and size of every component."""

    name = "docs"
    title = "documentation scan"
    facts = DocsFacts

    def inputs(self, ctx: RunContext) -> Inputs:
        """Everything under the component directories and every file that is not Python
        (READMEs, diagrams, docs), wherever it is."""
        inside = within(ctx.project.roots)
        return Inputs(files=lambda rel: not rel.endswith((".py", ".pyi")) or inside(rel))

    def collect(self, ctx: RunContext) -> DocsFacts:
        """Scan each component directory (keyed by its path)."""
        paths = " ".join(ctx.project.roots)
        facts = DocsFacts(tool="maturity docs", command=f"AST scan of public symbols in {paths}")
        for comp in ctx.project.components:
            facts.components[comp.path] = scan_component(comp, ctx.root)
        return facts
