"""Documentation facts: the component README, public docstrings, size (AST, no import)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from maturity.collectors.base import Collector, RunContext
from maturity.collectors.sources import owned_python_files
from maturity.config import Component
from maturity.facts import ComponentDocsFacts, DocsFacts, PublicSymbol, ReadmeFacts
from maturity.pysource import parse_python

README_NAMES = ("README.md", "readme.md", "README.rst")
_FENCE = re.compile(r"^\s*(```+|~~~+)\s*([\w+-]*)")
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?[^)]*\)|<img\s[^>]*src=[\"']([^\"']+)[\"']")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LINK_ONLY = re.compile(r"^\s*(!?\[[^\]]*\]\([^)]*\)\s*)+$")


def scan_readme(path: Path, root: Path) -> ReadmeFacts:
    """Count prose words, code blocks, mermaid blocks and images of a README."""
    text = _COMMENT.sub("", path.read_text(encoding="utf-8", errors="replace"))
    words = code = mermaid = 0
    fence: str | None = None
    for line in text.splitlines():
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * 3
            if match.group(2).lower() == "mermaid":
                mermaid += 1
            else:
                code += 1
            continue
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        stripped = line.strip()
        if (
            not stripped
            or stripped.startswith(("#", "|", "=", "---", ".."))
            or _LINK_ONLY.match(stripped)
        ):
            continue
        words += len(re.findall(r"[A-Za-z]{2,}", stripped))
    images: list[str] = []
    missing: list[str] = []
    for m in _IMAGE.finditer(text):
        ref = m.group(1) or m.group(2)
        if ref.startswith(("http://", "https://")):
            images.append(ref)
            continue
        target = (path.parent / ref.split("#")[0]).resolve()
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
    """Documentation facts of one component directory."""
    base = root / comp.path
    readme = next((base / n for n in README_NAMES if (base / n).is_file()), None)
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

    def collect(self, ctx: RunContext) -> DocsFacts:
        """Scan each component directory (keyed by its path)."""
        paths = " ".join(ctx.project.roots)
        facts = DocsFacts(tool="maturity docs", command=f"AST scan of public symbols in {paths}")
        for comp in ctx.project.components:
            facts.components[comp.path] = scan_component(comp, ctx.root)
        return facts
