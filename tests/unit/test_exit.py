"""The ``maturity`` command ends without the interpreter's teardown (a tenth of a second
after a warm run), once its output is written and its databases closed; the ordinary
exit stays where something needs it (coverage measuring the process, tests calling
``main`` with arguments)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from maturity import __version__
from maturity.cli import main

AT_EXIT = "import atexit, sys; atexit.register(lambda: print('teardown', file=sys.stderr)); "


def maturity(code: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``main()`` as the console script calls it, after ``code``, with ``args``."""
    program = (
        f"{code}import sys; from maturity.cli import main; sys.argv[1:] = {list(args)!r}; main()"
    )
    return subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False, cwd=cwd
    )


def test_the_command_skips_the_teardown_and_keeps_its_output_and_exit_code() -> None:
    done = maturity(AT_EXIT, "--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"maturity {__version__}\n", "")
    refused = maturity(AT_EXIT, "run", "--no-such-option")
    assert refused.returncode == 2
    assert refused.stderr.startswith("maturity: error: ")
    assert "teardown" not in refused.stderr


def test_a_process_measured_by_coverage_exits_ordinarily(tmp_path: Path) -> None:
    started = (
        "import coverage; cov = coverage.Coverage(data_file="
        f"{str(tmp_path / '.coverage')!r}); cov.start(); "
    )
    done = maturity(AT_EXIT + started, "--version")
    assert done.returncode == 0
    assert done.stderr == "teardown\n"


def test_a_process_without_stdout_exits_ordinarily() -> None:
    done = maturity(AT_EXIT + "sys.stdout = None; ", "--version")
    assert (done.returncode, done.stderr) == (0, "teardown\n")


def test_a_profiled_process_exits_ordinarily(tmp_path: Path) -> None:
    done = maturity(AT_EXIT + "import cProfile; cProfile.Profile().enable(); ", "--version")
    assert done.returncode == 0
    assert done.stderr == "teardown\n"
    stats, program = tmp_path / "run.prof", tmp_path / "program.py"
    program.write_text("from maturity.cli import main\nmain()\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(stats), str(program), "--version"],
        capture_output=True, check=True,
    )  # fmt: skip
    assert stats.stat().st_size > 0


def test_the_databases_are_closed_before_the_process_ends(tmp_path: Path) -> None:
    done = maturity("", "db", "upgrade", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "is at revision" in done.stdout
    assert (tmp_path / ".maturity" / "history.db").is_file()
    # SQLite folds its write-ahead log into the file when the last connection closes
    assert not (tmp_path / ".maturity" / "history.db-wal").exists()


def test_main_with_arguments_exits_as_before() -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
