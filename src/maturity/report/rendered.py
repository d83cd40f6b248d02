"""The terminal report's text, kept to be printed again without laying it out anew.

Laying out the report with rich (a matrix of a hundred components, wrapped cell by cell)
takes longer than a warm run takes to measure. The report is printed in pieces
(``chunks``: each table alone, the texts between tables together); the text rich printed
for each piece is kept in a file beside the fact cache under a key: a digest of what the
text is made from, which is every renderable of the piece (each text with its styles and
spans, each table's and column's settings and cells), the console's kind (its options:
width, height, encoding; its colour system, terminal or not, no-colour) and rich's and
maturity's versions. A piece whose key is kept is printed from the kept text through the
same console (the bytes rich would have written); the others are laid out. A warm run
after a cold one finds the cold run's tables and verdicts (only its header differs: it
says which facts were reused). An entry that does not read back whole (its digest of the
text) is laid out again. The verdicts themselves are never kept: they are evaluated at
the run's time first, and only their layout is reused.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from rich.box import Box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.table import Column, Table
from rich.text import Text

from maturity import __version__

_TABLE = (
    "title_justify", "caption_justify", "width", "min_width", "box", "safe_box", "_padding",
    "collapse_padding", "pad_edge", "expand", "show_header", "show_footer", "show_edge",
    "show_lines", "leading", "style", "row_styles", "header_style", "footer_style",
    "border_style", "title_style", "caption_style", "highlight",
)  # fmt: skip


class Uncached(Exception):
    """A renderable whose every setting the key does not know: never kept."""


def _parts(item: RenderableType | None) -> Iterator[str]:
    if item is None:
        yield "None"
    elif isinstance(item, Text):
        spans = [(s.start, s.end, str(s.style)) for s in item.spans]
        yield repr((
            "text", item.plain, str(item.style), item.justify, item.overflow, item.no_wrap,
            item.end, item.tab_size, spans,
        ))  # fmt: skip
    elif isinstance(item, Table):
        yield repr(("table", *(_setting(getattr(item, name)) for name in _TABLE)))
        yield from _parts(item.title)
        yield from _parts(item.caption)
        yield repr([(row.style, row.end_section) for row in item.rows])
        for column in item.columns:
            yield from _column(column)
    elif isinstance(item, str):
        yield repr(("str", item))
    else:
        raise Uncached(type(item).__name__)


def _setting(value: object) -> str:
    return str(value) if isinstance(value, Box) else repr(value)  # a box's repr is "Box(...)"


def _column(column: Column) -> Iterator[str]:
    skip = {"header", "footer", "_cells"}
    yield repr([getattr(column, f.name) for f in dataclasses.fields(column) if f.name not in skip])
    yield from _parts(column.header)
    yield from _parts(column.footer)
    for cell in column.cells:
        yield from _parts(cell)


def _settings(console: Console) -> str | None:
    """What the text depends on besides the renderables: the console's kind, rich's and
    maturity's versions (None: not to be kept: a console that records, a legacy Windows
    or Jupyter one)."""
    if console.record or console.legacy_windows or console.is_jupyter or console.quiet:
        return None
    return repr((
        __version__, importlib.metadata.version("rich"), repr(console.options),
        str(console.color_system), console.is_terminal, console.no_color, str(console.style),
        console.soft_wrap, console.tab_size,
    ))  # fmt: skip


def key(items: list[RenderableType], settings: str) -> str:
    """The digest of what the text of ``items`` printed with ``settings`` is made from;
    ``Uncached`` for a renderable it cannot describe."""
    h = hashlib.sha256(settings.encode("utf-8", "surrogateescape"))
    for item in items:
        for part in _parts(item):
            h.update(b"\0")
            h.update(part.encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def chunks(items: list[RenderableType]) -> list[list[RenderableType]]:
    """The report in pieces kept apart: each table alone, the texts between them together
    (a warm run's header differs from the cold run's; its tables and verdicts do not)."""
    found: list[list[RenderableType]] = []
    for item in items:
        if isinstance(item, Table) or not found or isinstance(found[-1][-1], Table):
            found.append([item])
        else:
            found[-1].append(item)
    return found


class _Kept:
    """Text rich rendered before: printed as it is (one segment without a style)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Segment(self.text)


def print_items(items: list[RenderableType], console: Console, kept: Path | None) -> None:
    """Print ``items`` as one group; with ``kept`` (a file), each piece of them (``chunks``)
    whose key is kept there is printed from there, the others are laid out, and the keys
    and texts of this printing are kept."""
    settings = _settings(console) if kept is not None else None
    try:
        pieces = [(key(chunk, settings), chunk) for chunk in chunks(items)] if settings else []
    except Uncached:
        pieces = []
    if kept is None or not pieces:
        console.print(Group(*items))
        return
    old = _read(kept)
    texts: dict[str, str] = {}
    for digest, chunk in pieces:
        if digest not in texts:
            texts[digest] = old.get(digest) or _laid_out(chunk, console)
    if texts.keys() != old.keys():
        _write(kept, texts)
    console.print(_Kept("".join(texts[d] for d, _ in pieces)), crop=False, soft_wrap=True)


def _laid_out(chunk: list[RenderableType], console: Console) -> str:
    with console.capture() as capture:
        console.print(Group(*chunk))
    return capture.get()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _read(path: Path) -> dict[str, str]:
    """The kept texts by key: each entry that reads back whole (its digest)."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["entries"]
        return {
            e["key"]: e["text"]
            for e in entries
            if isinstance(e["text"], str) and e["digest"] == _digest(e["text"])
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _write(path: Path, texts: dict[str, str]) -> None:
    entries = [{"key": k, "digest": _digest(t), "text": t} for k, t in texts.items()]
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({"entries": entries}), encoding="utf-8")
        tmp.replace(path)
    except OSError:  # a cache: the report was printed, keeping it is only a saving
        tmp.unlink(missing_ok=True)
