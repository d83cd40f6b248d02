"""One scratch directory per run, kept afterwards so every figure can be checked by hand.

Concurrent runs on one repository never share a directory: each gets its own under
``.maturity/runs/`` and holds a lock on it while it measures. Only the newest
``KEEP`` directories are kept; a directory another run still holds is never removed.
"""

from __future__ import annotations

import fcntl
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from maturity.workdir import DIRECTORY, ignore_generated

RUNS_DIR = DIRECTORY / "runs"
KEEP = 10
LOCK = ".lock"


@contextmanager
def run_directory(root: Path, keep: int = KEEP) -> Iterator[Path]:
    """A new directory for one run (``.maturity/runs/<UTC time>-<random>``), locked."""
    ignore_generated(root)
    base = root / RUNS_DIR
    base.mkdir(parents=True, exist_ok=True)
    (base / ".gitignore").write_text("*\n", encoding="utf-8")
    while True:  # a fresh name; mkdir (not mkdtemp) so the user's umask applies
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")  # sorts by creation
        path = base / f"{stamp}-{secrets.token_hex(4)}"
        try:
            path.mkdir()
            break
        except FileExistsError:  # pragma: no cover - 32 random bits collided
            continue
    with (path / LOCK).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield path
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    prune(base, keep)


def prune(base: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` run directories that no run holds; returns them."""
    removed: list[Path] = []
    runs = sorted((p for p in base.iterdir() if p.is_dir()), key=lambda p: p.name)
    for path in runs[: max(len(runs) - keep, 0)]:
        try:
            with (path / LOCK).open("a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
        except BlockingIOError:
            continue  # another run is measuring in it
        except OSError:
            continue
    return removed
