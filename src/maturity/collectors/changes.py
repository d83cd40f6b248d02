"""What changed in the working tree since a git ref: ``git diff --name-status -M REF``.

The comparison is between REF's tree and the files on disk now (tracked files, plus the
untracked ones git does not ignore), so the changed set is exactly what a run of this
tree measures differently from a run of REF: uncommitted edits count, a rename counts
as its old path deleted and its new path added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from maturity.errors import UsageError
from maturity.paths import bytecode_cache
from maturity.process import run_tool
from maturity.workdir import DIRECTORY


@dataclass
class Changes:
    """The files that differ between a commit and the working tree (repo-relative)."""

    ref: str
    commit: str
    added: set[str] = field(default_factory=set)
    modified: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    renamed: dict[str, str] = field(default_factory=dict)  # old path -> new path

    @property
    def paths(self) -> set[str]:
        """Every path whose content differs: added, modified, deleted, both ends of renames."""
        return (
            self.added
            | self.modified
            | self.deleted
            | set(self.renamed)
            | set(self.renamed.values())
        )

    @property
    def gone(self) -> set[str]:
        """Paths REF had that the tree no longer has (deleted, or renamed away)."""
        return self.deleted | set(self.renamed)

    def extend(self, paths: list[str]) -> None:
        """Count more paths as modified (files that were dirty when REF's run measured)."""
        self.modified |= set(paths) - self.gone - self.added

    def describe(self) -> str:
        """``3 files (1 added, 1 modified, 1 renamed)``."""
        parts = [
            f"{len(group)} {word}"
            for group, word in (
                (self.added, "added"),
                (self.modified, "modified"),
                (self.deleted, "deleted"),
                (self.renamed, "renamed"),
            )
            if group
        ]
        total = len(self.paths)
        return f"{total} file{'s' * (total != 1)}" + (f" ({', '.join(parts)})" if parts else "")


def _git(root: Path, *args: str) -> str:
    run = run_tool(["git", *args], root, 120)
    if run.error or run.returncode != 0:
        why = run.error or run.tail()
        raise UsageError(f"--changed-since: git {args[0]} failed in {root}: {why}")
    return run.stdout


def resolve(root: Path, ref: str) -> str:
    """REF's commit; a usage error when this repository has no such commit (in CI: a
    shallow clone without the base branch, fetch-depth 1)."""
    run = run_tool(
        ["git", "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
        root,
        30,
    )
    commit = run.stdout.strip()
    if run.returncode != 0 or not commit:
        raise UsageError(
            f"--changed-since {ref}: not a commit in {root} (not a git repository, or the"
            " ref is not fetched: a shallow CI checkout needs fetch-depth: 0)"
        )
    return commit


def _inside(path: str) -> bool:
    return not (path == DIRECTORY.as_posix() or path.startswith(DIRECTORY.as_posix() + "/"))


def changed_since(root: Path, ref: str) -> Changes:
    """The files that differ between REF and the working tree, renames detected (``-M``)."""
    commit = resolve(root, ref)
    changes = Changes(ref=ref, commit=commit)
    out = _git(root, "diff", "--name-status", "-M", "-z", "--no-ext-diff", commit, "--")
    words = out.split("\0")
    i = 0
    while i < len(words) and words[i]:
        status = words[i]
        if status[:1] in "RC":
            old, new = words[i + 1], words[i + 2]
            i += 3
            if status[:1] == "R":
                changes.renamed[old] = new
            else:
                changes.added.add(new)
            continue
        path = words[i + 1]
        i += 2
        if status[:1] == "A":
            changes.added.add(path)
        elif status[:1] == "D":
            changes.deleted.add(path)
        else:  # M, T (type change), U (unmerged): the content differs
            changes.modified.add(path)
    untracked = _git(root, "ls-files", "-z", "--others", "--exclude-standard")
    # a repository that does not ignore __pycache__: the last run's imports wrote them
    changes.added |= {p for p in untracked.split("\0") if p and not bytecode_cache(p)}
    for group in (changes.added, changes.modified, changes.deleted):
        group -= {p for p in group if not _inside(p)}
    changes.renamed = {o: n for o, n in changes.renamed.items() if _inside(o) and _inside(n)}
    return changes


def dirty_files(root: Path) -> list[str] | None:
    """The files whose content differs from HEAD (edits, untracked files), for a run's
    snapshot: a later ``--changed-since`` counts them as changed. None outside git."""
    try:
        changes = changed_since(root, "HEAD")
    except UsageError:
        return None
    return sorted(p for p in changes.paths if _inside(p))
