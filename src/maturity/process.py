"""Running a command: captured, bounded in time and output, never raising for the tool's
failures.

Every process maturity starts runs in a session (and so a process group) of its own, so
that whatever it starts in turn can be stopped with it: on a timeout, when it exits
leaving processes of its group behind, and when maturity itself is interrupted (SIGINT or
SIGTERM, see ``interrupt_on_signals``). Stopping a group is SIGTERM to the group and to
the process's descendants, a short grace, then SIGKILL.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess  # nosec B404 - running the measured tools is this package's job
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import psutil

from maturity.budget import held

MAX_OUTPUT = 256 * 2**20  # bytes of stdout or stderr read back; more is an error
GRACE = 3.0  # seconds between SIGTERM and SIGKILL when stopping a process group
TAIL_CHARS = 500  # at most this much of a tool's output goes into an error message

# processes started and not yet stopped, by pid; the signal handler reads it without a
# lock (dict operations are atomic), so a handler never waits for a thread
_live: dict[int, subprocess.Popen[Any]] = {}
_stopping: list[int] = []  # the signals received; once non-empty nothing new starts


def watched() -> bool:
    """A tracer, a profiler or coverage.py watches this process: their data is written at
    the interpreter's exit, so the process must neither be forked (the child's exit would
    lose its share) nor end without that exit."""
    coverage = sys.modules.get("coverage")
    return bool(sys.gettrace() or sys.getprofile() or (coverage and coverage.Coverage.current()))


class Interrupted(BaseException):
    """maturity received SIGINT or SIGTERM; its tools were stopped. A BaseException, so
    that no ``except Exception`` swallows it on the way out."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        """The conventional 128 + signal number: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum


@dataclass
class ToolRun:
    """The outcome of running a command."""

    command: str
    returncode: int | None
    stdout: str
    stderr: str
    error: str | None = None  # set when it could not run, timed out or was killed

    def tail(self, lines: int = 5) -> str:
        """The last lines of stderr (else stdout), on one line, for error messages;
        at most ``TAIL_CHARS`` characters (the end of it)."""
        text = (self.stderr.strip() or self.stdout.strip()).splitlines()
        joined = " | ".join(line.strip() for line in text[-lines:] if line.strip())
        return joined if len(joined) <= TAIL_CHARS else "…" + joined[-TAIL_CHARS:]


def spawn(argv: list[str], cwd: Path, **kwargs: Any) -> subprocess.Popen[Any]:
    """Start a process in a session of its own and keep track of it until ``stop``.

    Raises ``Interrupted`` instead of starting anything once maturity is stopping.
    """
    if _stopping:
        raise Interrupted(_stopping[0])
    proc: subprocess.Popen[Any] = subprocess.Popen(  # noqa: S603  # nosec B603 - argv list
        argv, cwd=cwd, start_new_session=True, **kwargs
    )
    _live[proc.pid] = proc
    if _stopping:  # a signal arrived while it started: the handler may not have seen it
        stop(proc)
        raise Interrupted(_stopping[0])
    return proc


def _group(pgid: int) -> list[psutil.Process]:
    """The running (not zombie) processes of process group ``pgid``."""
    found: list[psutil.Process] = []
    for proc in psutil.process_iter():
        with contextlib.suppress(psutil.Error, OSError):
            if os.getpgid(proc.pid) == pgid and proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc)
    return found


def _running(procs: list[psutil.Process]) -> list[psutil.Process]:
    alive: list[psutil.Process] = []
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                alive.append(proc)
    return alive


def _signal_all(pgid: int, procs: list[psutil.Process], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)
    for proc in procs:  # descendants that left the group (setsid) but are still ours
        with contextlib.suppress(psutil.Error):
            proc.send_signal(signum)


def stop(proc: subprocess.Popen[Any], grace: float = GRACE) -> None:
    """Stop a process started by ``spawn`` and everything of its group and descendants:
    SIGTERM, up to ``grace`` seconds, then SIGKILL. Also reaps it. Idempotent."""
    _live.pop(proc.pid, None)
    pgid = proc.pid  # a session leader's group id is its pid
    try:
        descendants = psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        descendants = []
    members = _running(descendants) + _group(pgid)
    if proc.poll() is None or members:
        _signal_all(pgid, descendants, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            proc.poll()
            if proc.returncode is not None and not (_running(descendants) or _group(pgid)):
                break
            time.sleep(0.05)
        else:
            _signal_all(pgid, descendants, signal.SIGKILL)
            deadline = time.monotonic() + grace
            while (_running(descendants) or _group(pgid)) and time.monotonic() < deadline:
                time.sleep(0.05)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(grace)


def stop_all() -> None:
    """Stop every process maturity started and has not stopped yet."""
    for proc in list(_live.values()):
        stop(proc)


def _read(file: IO[bytes], name: str) -> tuple[str, str | None]:
    """A captured stream as text (undecodable bytes replaced), or why it is not read."""
    size = os.fstat(file.fileno()).st_size
    if size > MAX_OUTPUT:
        return "", f"wrote {size / 2**20:.0f} MB to {name}, over the {MAX_OUTPUT >> 20} MB limit"
    file.seek(0)
    return file.read().decode("utf-8", errors="replace"), None


def run_tool(
    argv: list[str],
    cwd: Path,
    timeout: float,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    cpus: int = 1,
) -> ToolRun:
    """Run a command, capturing output; never raises for tool failures.

    It starts once ``cpus`` of the run's CPU budget (``maturity.budget``) are free and
    holds them until it ends. Output goes to temporary files, not pipes: a descendant
    that keeps a pipe open cannot hold the run up, and a flood of output costs no memory
    until it is read back.
    """
    with held(cpus):
        return _run_tool(argv, cwd, timeout, env, stdin)


def _run_tool(
    argv: list[str], cwd: Path, timeout: float, env: dict[str, str] | None, stdin: str | None
) -> ToolRun:
    command = shlex.join(argv)
    full_env = {**os.environ, **(env or {})}
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryFile() as given,
    ):
        if stdin is not None:
            given.write(stdin.encode())
            given.seek(0)
        try:
            proc = spawn(
                argv,
                cwd,
                env=full_env,
                stdin=given if stdin is not None else subprocess.DEVNULL,
                stdout=out,
                stderr=err,
            )
        except FileNotFoundError:
            return ToolRun(command, None, "", "", error=f"{argv[0]} not found")
        except PermissionError:
            return ToolRun(command, None, "", "", error=f"{argv[0]} is not executable")
        except Interrupted as exc:  # the main thread unwinds on its own Interrupted
            return ToolRun(command, None, "", "", error=f"not run: maturity received {exc}")
        try:
            returncode: int | None = proc.wait(timeout)
            error = None
        except subprocess.TimeoutExpired:
            returncode, error = None, f"timed out after {timeout:g}s"
        finally:
            stop(proc)  # on a timeout, an interrupt, or leftovers of its group
        if _stopping:
            error = f"stopped: maturity received {signal.Signals(_stopping[0]).name}"
        elif returncode is not None and returncode < 0:
            error = f"killed by signal {signal.Signals(-returncode).name}"
        stdout, too_much = _read(out, "stdout")
        stderr, too_much_err = _read(err, "stderr")
    return ToolRun(command, returncode, stdout, stderr, error=error or too_much or too_much_err)


def _on_signal(signum: int, _frame: object) -> None:
    """Stop every tool, then unwind maturity with ``Interrupted``; a second signal while
    it unwinds exits at once."""
    again = bool(_stopping)
    _stopping.append(signum)
    stop_all()
    if again:
        os._exit(128 + _stopping[0])
    raise Interrupted(signum)


@contextlib.contextmanager
def interrupt_on_signals() -> Iterator[None]:
    """While inside: SIGINT and SIGTERM stop every tool maturity started and raise
    ``Interrupted`` in the main thread. Only in the main thread (elsewhere, a no-op)."""
    try:
        previous = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        stop_all()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _stopping.clear()
