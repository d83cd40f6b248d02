"""The terminal report's text, kept to be printed again without laying it out anew.

Laying out the report with rich (a matrix of a hundred components, wrapped cell by cell)
takes longer than a warm run takes to measure. The text rich printed is kept in a file
beside the fact cache with a key: a digest of everything the text is made from, which is
every renderable the report printed (each text with its styles and spans, each table's
and column's settings and cells) and the console's kind (its options: width, height,
encoding; its colour system, terminal or not, no-colour) and rich's and maturity's
versions. A run whose key is the same prints the kept text through the same console
(the bytes rich would have written); a different key, or an entry that does not read back
whole (its digest of the text), lays the report out again.
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


def key(items: list[RenderableType], console: Console) -> str | None:
    """The digest of what the text of ``items`` printed on ``console`` is made from (None:
    not to be kept: a console that records, a legacy Windows or Jupyter one)."""
    if console.record or console.legacy_windows or console.is_jupyter or console.quiet:
        return None
    h = hashlib.sha256()
    settings = (
        __version__, importlib.metadata.version("rich"), repr(console.options),
        str(console.color_system), console.is_terminal, console.no_color, str(console.style),
        console.soft_wrap, console.tab_size,
    )  # fmt: skip
    h.update(repr(settings).encode("utf-8", "surrogateescape"))
    try:
        for item in items:
            for part in _parts(item):
                h.update(part.encode("utf-8", "surrogateescape"))
                h.update(b"\0")
    except Uncached:
        return None
    return h.hexdigest()


class _Kept:
    """Text rich rendered before: printed as it is (one segment without a style)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Segment(self.text)


def print_items(items: list[RenderableType], console: Console, kept: Path | None) -> None:
    """Print ``items`` as one group; with ``kept`` (a file), print the text kept there
    when its key is this one, else lay it out and keep its text there."""
    digest = key(items, console) if kept is not None else None
    if kept is None or digest is None:
        console.print(Group(*items))
        return
    text = _read(kept, digest)
    if text is None:
        with console.capture() as capture:
            console.print(Group(*items))
        text = capture.get()
        _write(kept, digest, text)
    console.print(_Kept(text), crop=False, soft_wrap=True)


def _read(path: Path, digest: str) -> str | None:
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        text = entry["text"]
        whole = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
        if entry["key"] != digest or entry["digest"] != whole:
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return text if isinstance(text, str) else None


def _write(path: Path, digest: str, text: str) -> None:
    whole = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
    entry = json.dumps({"key": digest, "digest": whole, "text": text})
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(entry, encoding="utf-8")
        tmp.replace(path)
    except OSError:  # a cache: the report was printed, keeping it is only a saving
        tmp.unlink(missing_ok=True)
