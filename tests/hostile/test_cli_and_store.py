"""The hostile corpus: bad input from an attacker or a tired user, one case a row.

Each case builds a repository (and arguments) in a fresh directory and states the exit
code the README promises and a pattern the single line on stderr must match. Every case
checks: the exit code, no traceback anywhere, exactly one non-empty stderr line for an
error (the normal report may be on stdout), and for store cases that the SQLite file is
byte-identical afterwards.

Read-only places: the tests run as root, for whom ``chmod`` does not make a directory
unwritable. "Cannot be written" is therefore made with a path *under a regular file*
(``<tmp>/a-file/x/history.db``: no user can create a directory there) and with ``/proc``
(a kernel file system where even root cannot create files).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.helpers import cli, write_tree

PYPROJECT = '[tool.maturity]\nsrc = "src"\n'


@dataclass
class Setup:
    """What a case runs: the arguments, a store file that must not change, and whether it
    must be a real process."""

    args: list[str]
    watched: Path | None = None
    process: bool = False
    one_line: bool = True  # False: the verdict lines come before the error line
    env: dict[str, str] = field(default_factory=dict)


def base(tmp: Path, pyproject: str = PYPROJECT) -> Path:
    """A repository with one component, ``app``, under src/."""
    root = tmp / "repo"
    write_tree(root, {"src/app/__init__.py": '"""The app."""\n'})
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return root


def with_config(extra: str) -> Callable[[Path], Setup]:
    """``maturity components`` on a repository whose [tool.maturity] has ``extra``."""

    def setup(tmp: Path) -> Setup:
        root = base(tmp, PYPROJECT + extra)
        return Setup(["components", str(root)])

    return setup


def raw_pyproject(data: bytes) -> Callable[[Path], Setup]:
    """``maturity components`` on a repository whose pyproject.toml is these bytes."""

    def setup(tmp: Path) -> Setup:
        root = base(tmp)
        (root / "pyproject.toml").write_bytes(data)
        return Setup(["components", str(root)])

    return setup


def not_utf8_maturity_toml(tmp: Path) -> Setup:
    root = base(tmp)
    (root / "maturity.toml").write_bytes(b'src = "src"\n# caf\xe9\n')
    return Setup(["components", str(root)])


def huge_toml(tmp: Path) -> Setup:
    """10 MB of comments around a valid table: read, not choked on."""
    root = base(tmp)
    filler = ("# " + "x" * 98 + "\n") * 100_000
    (root / "pyproject.toml").write_text(PYPROJECT + filler, encoding="utf-8")
    return Setup(["components", str(root)])


def component_path(kind: str) -> Callable[[Path], Setup]:
    """A declared component whose path is a file, a symlink loop, or outside the repo."""

    def setup(tmp: Path) -> Setup:
        root = base(tmp)
        target = {"file": "src/app/__init__.py", "loop": "loop", "outside": "../.."}[kind]
        if kind == "loop":
            (root / "loop").symlink_to(root / "loop")
        cfg = PYPROJECT + f'[tool.maturity.components.app]\npath = "{target}"\n'
        (root / "pyproject.toml").write_text(cfg, encoding="utf-8")
        return Setup(["components", str(root)])

    return setup


def command(*args: str) -> Callable[[Path], Setup]:
    """A command on the base repository ({repo} in ``args`` is its path)."""

    def setup(tmp: Path) -> Setup:
        root = base(tmp)
        return Setup([a.replace("{repo}", str(root)) for a in args])

    return setup


def history_db(root: Path) -> Path:
    """A real store with a deployment in it, made by a process that has exited: its WAL
    is checkpointed into the file and removed (an in-process engine would keep it)."""
    args = ["deploy", "app", "--env", "staging", "--version", "1", str(root), "--by", "t"]
    code, _, err = _run(Setup(args, process=True), root)
    assert code == 0, err
    db = root / ".maturity" / "history.db"
    assert not db.with_name("history.db-wal").exists()
    return db


def damaged(how: str, cmd: str, process: bool = False) -> Callable[[Path], Setup]:
    """``cmd`` on a repository whose history.db is garbage, has corrupt pages, or is cut."""

    def setup(tmp: Path) -> Setup:
        root = base(tmp)
        db = history_db(root)
        data = bytearray(db.read_bytes())
        if how == "garbage":
            data = bytearray(os.urandom(8192))
        elif how == "pages":  # page 1 (header, schema root) intact, every later page noise
            data[4096:] = os.urandom(len(data) - 4096)
        else:  # truncated to half a header
            data = data[:50]
        db.write_bytes(bytes(data))
        args = {
            "history": ["history", "app", str(root)],
            "deploy": ["deploy", "app", "--env", "staging", "--version", "2", str(root)],
            "run": ["run", str(root), "--no-progress", "-c", "app"],
            "upgrade": ["db", "upgrade", str(root)],
        }[cmd]
        return Setup(args, watched=db, process=process)

    return setup


def db_url(url: str, cmd: str = "history", process: bool = False) -> Callable[[Path], Setup]:
    """``cmd`` with ``--db url`` ({tmp} is the case's directory); a ``run`` as a process
    saves through the store it opened ahead in a forked child (``maturity.store.ahead``)."""

    def setup(tmp: Path) -> Setup:
        root = base(tmp)
        (tmp / "a-file").write_text("not a directory\n", encoding="utf-8")
        (tmp / "a-dir").mkdir()
        given = url.replace("{tmp}", str(tmp))
        if cmd == "deploy":
            return Setup(["deploy", "app", "--env", "staging", "--version", "1", str(root),
                          "--db", given])  # fmt: skip
        if cmd == "run":
            args = ["run", str(root), "--no-progress", "-c", "app", "--db", given]
            return Setup(args, process=process)
        return Setup(["history", "app", str(root), "--db", given])

    return setup


def maturity_is_a_file(tmp: Path) -> Setup:
    root = base(tmp)
    (root / ".maturity").write_text("oops\n", encoding="utf-8")
    return Setup(["history", "app", str(root)])


def report_to(option: str, where: str, cmd: str = "run") -> Callable[[Path], Setup]:
    """``cmd`` writing a report to a directory, under a regular file, or twice one file."""

    def setup(tmp: Path) -> Setup:
        root = base(tmp)
        (tmp / "a-file").write_text("x\n", encoding="utf-8")
        (tmp / "a-dir").mkdir()
        target = where.replace("{tmp}", str(tmp))
        extra = ["--junit", target] if option == "--json-twice" else []
        option_name = "--json" if option == "--json-twice" else option
        args = [cmd, str(root), "--no-progress", "--no-store", option_name, target, *extra]
        return Setup(args)

    return setup


def failing_check_summary_to_dir(tmp: Path) -> Setup:
    """A gate that fails (an undocumented function) and a summary that cannot be written:
    the failure is still printed and is the exit code; the write error is said too."""
    root = base(tmp)
    (root / "src/app/mod.py").write_text("def f():\n    return 1\n", encoding="utf-8")
    (tmp / "a-dir").mkdir()
    args = ["check", str(root), "--require", "development", "--no-progress", "--no-store",
            "--summary", str(tmp / "a-dir")]  # fmt: skip
    return Setup(args, one_line=False)


E_CONFIG = r"^maturity: error: invalid configuration: "
E_STORE_CORRUPT = r"is not a usable SQLite database .*move it aside; `maturity db upgrade`"

CASES: list[tuple[str, Callable[[Path], Setup], int, str]] = [
    # configuration
    ("pyproject-not-utf8", raw_pyproject(b"[tool.maturity]\n# \xff\xfe\n"), 2,
     E_CONFIG + r"pyproject\.toml: not UTF-8 text \(byte 18\)"),
    ("maturity-toml-not-utf8", not_utf8_maturity_toml, 2, E_CONFIG + r"maturity\.toml: not UTF-8"),
    ("bom-prefixed-pyproject", raw_pyproject(b"\xef\xbb\xbf" + PYPROJECT.encode()), 0, ""),
    ("empty-pyproject", raw_pyproject(b""), 0, ""),
    ("not-toml", raw_pyproject(b"[tool.maturity\n"), 2, E_CONFIG + r"pyproject\.toml: not valid TOML"),
    ("maturity-not-a-table", raw_pyproject(b"[tool]\nmaturity = 3\n"), 2, r"must be a table"),
    ("ten-megabyte-toml", huge_toml, 0, ""),
    ("threshold-as-string", with_config('[tool.maturity.thresholds]\ncoverage = "70"\n'), 2,
     E_CONFIG + r"pyproject\.toml: tool\.maturity\.thresholds\.coverage: .*valid number"),
    ("timeout-as-string", with_config('timeout = "900"\n'), 2,
     r"tool\.maturity\.timeout: Input should be a valid number"),
    ("key-typo", with_config("[tool.maturity.thresholds]\ncoverag = 70\n"), 2,
     r"tool\.maturity\.thresholds\.coverag: Extra inputs are not permitted"),
    ("github-repo-traversal",
     with_config('[tool.maturity.issues]\ngithub_repo = "../../etc/passwd?x=#"\n'), 2,
     r"tool\.maturity\.issues\.github_repo: .*not a GitHub repository 'owner/name'"),
    ("github-repo-dotdot-name", with_config('[tool.maturity.issues]\ngithub_repo = "me/.."\n'), 2,
     r"issues\.github_repo"),
    ("unknown-stage", with_config('[tool.maturity.components.app]\nstage = "prod"\n'), 2,
     r"tool\.maturity\.components\.app\.stage"),
    ("component-path-is-a-file", component_path("file"), 2,
     r"components\.app\.path: directory 'src/app/__init__\.py' does not exist"),
    ("component-path-symlink-loop", component_path("loop"), 2, r"components\.app\.path"),
    ("component-path-outside-repo", component_path("outside"), 2, r"components\.app\.path"),
    # command line
    ("unknown-component", command("history", "nope", "{repo}"), 2, r"unknown component 'nope'"),
    ("repo-is-a-file", command("components", "{repo}/pyproject.toml"), 2, r"is a file"),
    ("unknown-option", command("history", "app", "{repo}", "--lmit", "3"), 2, r"No such option: --lmit"),
    ("limit-overflow", command("history", "app", "{repo}", "--limit", "99999999999999999999"), 2,
     r"Invalid value for '--limit'"),
    ("limit-zero", command("history", "app", "{repo}", "--limit", "0"), 2, r"'--limit'"),
    ("incident-number-overflow", command("incident", "ack", "99999999999999999999", "--repo",
     "{repo}"), 2, r"Invalid value for 'INCIDENT'|incident"),
    ("negative-users", command("attest", "multi-user", "app", "{repo}", "--users", "-3",
     "--hours", "2", "--by", "t"), 2, r"'--users'"),
    ("zero-hours", command("attest", "multi-user", "app", "{repo}", "--users", "3", "--by", "t"), 2,
     r"--users \(3\) and --hours \(0\.0\) must be above 0"),
    ("infinite-hours", command("attest", "multi-user", "app", "{repo}", "--users", "3", "--hours",
     "inf", "--by", "t"), 2, r"must be above 0"),
    # the history store
    ("in-memory-history", db_url("sqlite://"), 2, r"in-memory database cannot keep history"),
    ("in-memory-deploy", db_url("sqlite://", "deploy"), 2, r"in-memory database cannot keep"),
    ("memory-file-name", db_url("sqlite:///:memory:", "deploy"), 2, r"in-memory"),
    ("driver-not-installed", db_url("mysql://u:secret@127.0.0.1/x"), 4,
     r"^maturity: error: cannot use database mysql://u:\*\*\*@127\.0\.0\.1/x: its driver \(MySQLdb\)"),
    ("unknown-dialect", db_url("nosuchdb://x/y"), 2, r"invalid database URL"),
    ("not-a-url", db_url("history.db"), 2, r"invalid database URL 'history\.db'"),
    ("not-a-url-run-process", db_url("history.db", "run", process=True), 2,
     r"^maturity: error: invalid database URL 'history\.db' .*: not of the form dialect"),
    ("unknown-dialect-run-process", db_url("nosuchdb://x/y", "run", process=True), 2,
     r"^maturity: error: invalid database URL 'nosuchdb://x/y'"),
    ("postgres-refused-run-process", db_url("postgresql://u:pw@127.0.0.1:1/x", "run", True), 4,
     r"^maturity: error: cannot use database postgresql://u:\*\*\*@127\.0\.0\.1:1/x: "),
    ("db-is-a-directory-run-process", db_url("sqlite:///{tmp}/a-dir", "run", True), 4,
     r"a-dir is a directory"),
    ("db-under-a-regular-file", db_url("sqlite:///{tmp}/a-file/x/history.db"), 4,
     r"cannot create directory .*/a-file/x: Not a directory"),
    ("db-in-proc", db_url("sqlite:////proc/maturity-nope/history.db", "deploy"), 4,
     r"cannot create directory /proc/maturity-nope"),
    ("db-is-a-directory", db_url("sqlite:///{tmp}/a-dir"), 4, r"a-dir is a directory"),
    ("postgres-refused", db_url("postgresql://u:pw@127.0.0.1:1/x"), 4,
     r"^maturity: error: cannot use database postgresql://u:\*\*\*@127\.0\.0\.1:1/x: "),
    ("dot-maturity-is-a-file", maturity_is_a_file, 4, r"\.maturity: not a directory$"),
    ("garbage-db-history", damaged("garbage", "history"), 4, E_STORE_CORRUPT),
    ("garbage-db-deploy", damaged("garbage", "deploy"), 4, E_STORE_CORRUPT),
    ("garbage-db-upgrade", damaged("garbage", "upgrade"), 4, E_STORE_CORRUPT),
    ("garbage-db-run-process", damaged("garbage", "run", process=True), 4, E_STORE_CORRUPT),
    ("corrupt-pages-history", damaged("pages", "history"), 4, E_STORE_CORRUPT),
    ("corrupt-pages-deploy", damaged("pages", "deploy"), 4, E_STORE_CORRUPT),
    ("truncated-db-deploy", damaged("truncated", "deploy"), 4, r"history\.db"),
    # report files
    ("json-to-a-directory", report_to("--json", "{tmp}/a-dir"), 2,
     r"^maturity: error: --json .*/a-dir: cannot write: Is a directory$"),
    ("markdown-under-a-file", report_to("--markdown", "{tmp}/a-file/r.md"), 2,
     r"--markdown .*: cannot write: .*/a-file is not a directory"),
    ("markdown-into-a-missing-directory", report_to("--markdown", "{tmp}/new/dir/r.md"), 0, ""),
    ("summary-into-a-missing-directory", report_to("--summary", "{tmp}/new/s.md", "check"), 0, ""),
    ("json-and-junit-one-file", report_to("--json-twice", "{tmp}/r.out"), 2,
     r"--json and --junit both write .*/r\.out"),
    ("summary-to-a-directory", report_to("--summary", "{tmp}/a-dir", "check"), 2,
     r"--summary .*/a-dir: cannot write: Is a directory"),
    ("failing-check-summary-to-a-directory", failing_check_summary_to_dir, 1,
     r"--summary .*/a-dir: cannot write: Is a directory"),
]  # fmt: skip


def _run(setup: Setup, cwd: Path) -> tuple[int, str, str]:
    if not setup.process:
        return cli(*setup.args)
    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(src), **setup.env}
    proc = subprocess.run(
        [sys.executable, "-m", "maturity", *setup.args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.parametrize(("build", "code", "pattern"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_hostile_input(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    build: Callable[[Path], Setup],
    code: int,
    pattern: str,
) -> None:
    monkeypatch.delenv("MATURITY_DATABASE_URL", raising=False)
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    setup = build(tmp_path)
    before = setup.watched.read_bytes() if setup.watched else None

    got, out, err = _run(setup, tmp_path)

    assert "Traceback" not in out + err
    assert got == code, (got, err)
    lines = [line for line in err.splitlines() if line.strip()]
    if code == 0:
        assert not any(line.startswith("maturity: error") for line in lines), err
    elif setup.one_line:
        assert len(lines) == 1, err
        assert re.search(pattern, lines[0]), lines[0]
    else:
        assert re.search(pattern, lines[-1]), err
    if setup.watched is not None:
        assert setup.watched.read_bytes() == before, "the store file was changed"


def test_the_corpus_is_large_and_its_ids_unique() -> None:
    ids = [c[0] for c in CASES]
    assert len(ids) == len(set(ids)) and len(ids) >= 25


def test_a_malformed_database_url_fails_before_anything_is_measured(tmp_path: Path) -> None:
    root = base(tmp_path)
    setup = Setup(["run", str(root), "--no-progress", "--db", "history.db"], process=True)
    code, _, err = _run(setup, tmp_path)
    assert (code, err.count("\n")) == (2, 1), err
    assert not (root / ".maturity" / "cache").exists()  # no collector ran
