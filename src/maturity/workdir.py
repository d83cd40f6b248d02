"""The ``.maturity`` directory of a repository: what maturity generates there is ignored
by git, what the team commits there is not.

Generated: the history store (``history.db`` and its WAL files), the run directories
(``runs/``) and the fact cache (``cache/``). Committed: ``issues.yaml``,
``attestations/``, an advisories directory, and anything else the team keeps there. The
ignore file maturity creates ignores itself too, so measuring a repository adds nothing
to its ``git status``; one the team already has (perhaps committed) only gets the lines
it lacks.
"""

from __future__ import annotations

from pathlib import Path

DIRECTORY = Path(".maturity")
SELF = "/.gitignore"
IGNORED = (SELF, "/history.db*", "/runs/", "/cache/")
HEADER = "# Written by maturity: the files it generates here. Committed files stay tracked."
LEGACY = ["history.db*", "run/"]  # what maturity wrote before, without a header


def ignore_generated(root: Path) -> Path:
    """Create ``<root>/.maturity/`` and its ``.gitignore``; an existing one keeps its
    lines and gets the generated paths it lacks (``history.db*`` counts as
    ``/history.db*``). Returns the ignore file."""
    directory = root / DIRECTORY
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / ".gitignore"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = [HEADER]
    ours = lines[:1] == [HEADER] or lines == LEGACY
    wanted = [line for line in IGNORED if ours or line != SELF]  # the team's: theirs to track
    missing = [line for line in wanted if line not in lines and line[1:] not in lines]
    if missing:
        path.write_text("\n".join([*lines, *missing]) + "\n", encoding="utf-8")
    return path
