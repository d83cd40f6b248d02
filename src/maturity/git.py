"""What git says about a repository: the commit measured, who acts, where it lives.

Every git query of the package is here; each returns None outside a git repository (or
when git is missing) rather than failing.
"""

from __future__ import annotations

from pathlib import Path

from maturity.model import GitInfo
from maturity.process import run_tool


def _git(root: Path, *args: str) -> str | None:
    run = run_tool(["git", *args], root, 30)
    return run.stdout.strip() if run.returncode == 0 else None


def git_info(root: Path) -> GitInfo:
    """Commit, branch and dirty flag (tracked files only); all None outside git."""
    commit = _git(root, "rev-parse", "HEAD")
    if commit is None:
        return GitInfo(commit=None, branch=None, dirty=None)
    status = _git(root, "status", "--porcelain", "--untracked-files=no")
    return GitInfo(
        commit=commit,
        branch=_git(root, "rev-parse", "--abbrev-ref", "HEAD"),
        dirty=bool(status) if status is not None else None,
    )


def user_name(root: Path) -> str | None:
    """git's ``user.name`` for this repository, if set."""
    return _git(root, "config", "user.name") or None


def origin_url(root: Path) -> str | None:
    """The URL of the ``origin`` remote, if any."""
    return _git(root, "remote", "get-url", "origin") or None


def merge_base(root: Path, ref: str) -> tuple[str | None, str]:
    """The merge-base of HEAD and ``ref`` (the commit a branch forked from), or None and
    why not (``ref`` unknown here, no common history, not a git repository)."""
    commit = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if commit is None:
        return None, f"{ref!r} is not a commit in this repository"
    base = _git(root, "merge-base", "HEAD", commit)
    return (base, "") if base else (None, f"HEAD and {ref!r} have no common history")


def default_branch(root: Path) -> str | None:
    """The branch ``origin/HEAD`` names, else the branch checked out (even one with no
    commit yet); None outside git or on a detached HEAD."""
    remote = _git(root, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
    if remote and "/" in remote:
        return remote.split("/", 1)[1]
    return _git(root, "symbolic-ref", "--quiet", "--short", "HEAD")
