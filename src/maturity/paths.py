"""Path glob matching with ``**`` (any number of directories, including none)."""

from __future__ import annotations

import re
from functools import lru_cache


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


def glob_match(pattern: str, path: str) -> bool:
    """True when a posix ``path`` matches ``pattern`` (``*``, ``?``, ``**``)."""
    return _compile(pattern).match(path) is not None


def under(path: str, directory: str) -> bool:
    """True when ``path`` is ``directory`` or lies inside it (posix, relative)."""
    directory = directory.rstrip("/")
    return path == directory or path.startswith(directory + "/")
