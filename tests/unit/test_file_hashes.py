"""The fact cache's file hashes: every regular file git lists (tracked or untracked, not
ignored, never ``.maturity``), hashed once and remembered by size and modification time;
the memo is written only when it changed."""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from pathlib import Path

from maturity.collectors.cache import FileHashes, repository_files


def make_repo(root: Path) -> None:
    (root / "src" / "pkg").mkdir(parents=True)
    (root / "src" / "pkg" / "a.py").write_text("A = 1\n", encoding="utf-8")
    (root / "ignored.log").write_text("noise\n", encoding="utf-8")
    (root / ".gitignore").write_text("*.log\n", encoding="utf-8")
    (root / ".maturity").mkdir()
    (root / ".maturity" / "x.json").write_text("{}", encoding="utf-8")
    (root / "src" / "link").symlink_to(root / "src" / "pkg")  # a directory: not a file
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "src/pkg/a.py"], cwd=root, check=True)
    (root / "untracked.py").write_text("B = 2\n", encoding="utf-8")
    past = time.time() - 60  # not racy: remembered
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            os.utime(path, (past, past))


def test_every_regular_file_git_lists_is_hashed(tmp_path: Path) -> None:
    make_repo(tmp_path)
    files = [".gitignore", "src/pkg/a.py", "untracked.py"]
    assert repository_files(tmp_path) == files
    hashes = FileHashes(tmp_path, tmp_path / ".maturity" / "files.json").all()
    assert hashes == {f: hashlib.sha256((tmp_path / f).read_bytes()).hexdigest() for f in files}


def test_the_memo_is_written_only_when_it_changed(tmp_path: Path) -> None:
    make_repo(tmp_path)
    memo = tmp_path / ".maturity" / "files.json"
    first = FileHashes(tmp_path, memo).all()
    written = memo.stat()
    assert FileHashes(tmp_path, memo).all() == first
    assert memo.stat().st_ino == written.st_ino  # not replaced: nothing changed
    (tmp_path / "untracked.py").write_text("B = 3\n", encoding="utf-8")
    past = time.time() - 60
    os.utime(tmp_path / "untracked.py", (past, past))
    again = FileHashes(tmp_path, memo).all()
    assert again["untracked.py"] == hashlib.sha256(b"B = 3\n").hexdigest()
    assert memo.stat().st_ino != written.st_ino
