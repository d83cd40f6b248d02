"""Repository paths: normalising configured paths, ownership, ``**`` glob matching."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath


@lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def bytecode_cache(path: str) -> bool:
    """Whether a repo-relative posix path lies in a ``__pycache__`` directory: Python's
    compiled copies of source files, written by whatever imports them (a test run
    does), never an input of their own."""
    return "__pycache__" in path.split("/")


def glob_match(pattern: str, path: str) -> bool:
    """True when a posix ``path`` matches ``pattern`` (``*``, ``?``, ``**``)."""
    return _compile(pattern).match(path) is not None


def under(path: str, directory: str) -> bool:
    """True when ``path`` is ``directory`` or lies inside it (posix, relative)."""
    directory = directory.rstrip("/")
    if directory in ("", "."):
        return True
    return path == directory or path.startswith(directory + "/")


def within(directories: Iterable[str]) -> Callable[[str], bool]:
    """A test of whether a path lies in any of ``directories`` (as ``under`` says), made
    once for many paths: a set lookup per directory level of the path, not a comparison
    with every directory."""
    dirs = {d.rstrip("/") for d in directories}
    if dirs & {"", "."}:
        return lambda path: True

    def test(path: str) -> bool:
        cut = path.find("/")
        while cut != -1:
            if path[:cut] in dirs:
                return True
            cut = path.find("/", cut + 1)
        return path in dirs

    return test


def repo_relative(root: Path, raw: str) -> str:
    """A configured path as the repository sees it: posix, relative, normalised.

    ``./src/a``, ``src//a`` and ``src/a/`` all become ``src/a``; symbolic links are
    resolved so the path matches what the tools report. Raises ``ValueError`` (with the
    path as written) for an absolute path, one that leaves the repository, or a loop of
    symbolic links.
    """
    if not raw.strip():
        raise ValueError("is empty")
    if PurePosixPath(raw).is_absolute() or PureWindowsPath(raw).drive:
        raise ValueError(f"{raw!r} is absolute; write it relative to the repository root")
    lexical = posixpath.normpath(raw.replace("\\", "/"))
    if lexical == ".." or lexical.startswith("../"):
        raise ValueError(f"{raw!r} lies outside the repository")
    try:
        resolved = (root / lexical).resolve()
    except (RuntimeError, OSError):  # a symbolic link loop (RuntimeError before 3.13)
        raise ValueError(f"{raw!r} is a loop of symbolic links") from None
    try:
        relative = resolved.relative_to(root.resolve())
    except ValueError:
        raise ValueError(f"{raw!r} resolves to {resolved}, outside the repository") from None
    return relative.as_posix()
