"""Parsing Python source into an AST, safely from several threads at once.

CPython 3.11 can raise ``SystemError: AST constructor recursion depth mismatch`` when
threads build ASTs at the same time (python/cpython#106905, fixed in later versions);
maturity's collectors run in threads, so every parse goes through one lock here.
"""

from __future__ import annotations

import ast
import threading

_LOCK = threading.Lock()


def parse_python(source: str | bytes, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse``, one at a time; raises ``SyntaxError``/``ValueError`` like it."""
    with _LOCK:
        return ast.parse(source, filename=filename)
