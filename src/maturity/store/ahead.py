"""The store opened ahead, in a forked process, while the run measures.

Importing SQLAlchemy and opening the store cost a command that stores its run about a
fifth of a second: more than a run whose facts all come from the fact cache spends
measuring. ``StoreAhead.open`` forks before the run starts; the child imports the store,
opens it (migrating it if needed) on the other CPU, and waits. ``send`` hands it the
evaluated report through a pipe; ``saved`` returns the run's id once the child has saved
it in one transaction, exactly as ``save_run`` does in-process. An error of the child (the
store unusable, the URL invalid) comes back as the same one-line error and exit code.

Forking is done only where it is safe and useful: on Linux, in a process with no other
thread, with no tracer, profiler or coverage watching (their data would be lost at the
child's exit). Elsewhere ``open`` returns None and the caller saves in-process. The
report is sent as soon as it is evaluated, so the child saves it while this process
prints it and writes the report files. A command that ends before sending (it failed)
lets the child end on its own once the store is open; one interrupted after sending
stops the child (a save not committed yet is rolled back). The child
never writes to the parent's output; it ends with ``os._exit``, so the parent's
buffers and exit handlers are never run twice. The pickled report crosses only a pipe
between this process and its own fork.
"""

from __future__ import annotations

import json
import os
import pickle  # nosec B403
import signal
import sys
import threading
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from maturity.errors import EXIT_DATABASE, MaturityError
from maturity.process import watched

if TYPE_CHECKING:
    from maturity.model import RunReport


class StoreFailed(MaturityError):
    """An error the store's child process met, with the exit code it has in-process."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class StoreAhead:
    """A forked child holding the open store, and the two pipe ends to talk to it."""

    pid: int  # 0 once reaped
    to_child: int  # the report, pickled, then end of file
    from_child: int  # one JSON line: {"id", "url"} or {"error", "exit"}

    @classmethod
    def open(cls, url: str) -> StoreAhead | None:
        """Fork a child that opens the store at ``url``; None where forking is unsafe."""
        if not _may_fork():
            return None
        report_r, report_w = os.pipe()
        reply_r, reply_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child (forking is refused under coverage)
            os.close(report_w)
            os.close(reply_r)
            _child(url, report_r, reply_w)
        os.close(report_r)
        os.close(reply_w)
        return cls(pid, report_w, reply_r)

    def send(self, report: RunReport) -> None:
        """Hand ``report`` to the child, which saves it while this process goes on."""
        data = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
        end, self.to_child = self.to_child, -1  # closed below, whatever happens
        try:
            with os.fdopen(end, "wb") as pipe:
                pipe.write(data)
        except BrokenPipeError:  # the child ended early: its reply says why
            pass

    def saved(self) -> tuple[int, str]:
        """Wait for the child: the run's id and the store's URL as shown."""
        end, self.from_child = self.from_child, -1  # closed below, whatever happens
        with os.fdopen(end, "rb") as pipe:
            line = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        try:
            reply = json.loads(line)
        except ValueError:
            reply = None
        if not isinstance(reply, dict):
            raise StoreFailed(
                f"the process saving the run ended without saving it (wait status {status})",
                EXIT_DATABASE,
            )
        if "error" in reply:
            raise StoreFailed(str(reply["error"]), int(reply["exit"]))
        return int(reply["id"]), str(reply["url"])

    def close(self) -> None:
        """Let the child go without saving (the run failed before sending), or stop it
        (interrupted while it saved); reap it."""
        if self.pid:
            if self.to_child < 0:  # sent, no reply read: stop the save
                os.kill(self.pid, signal.SIGTERM)
            for end in (self.to_child, self.from_child):
                if end >= 0:
                    os.close(end)
            os.waitpid(self.pid, 0)
            self.pid = 0


def _may_fork() -> bool:
    """Forking is safe and useful: Linux, one thread, nothing tracing this process."""
    return sys.platform == "linux" and threading.active_count() == 1 and not watched()


def _child(url: str, reports: int, replies: int) -> None:  # pragma: no cover - see open
    """Open the store, wait for the report, save it, say so; never return."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        reply = _open_and_save(url, reports)
    except BaseException:  # a defect: its traceback, as the parent would have printed it
        reply = {"error": traceback.format_exc().strip(), "exit": 1}
    try:
        if reply:
            with os.fdopen(replies, "wb") as pipe:
                pipe.write(json.dumps(reply).encode())
    finally:
        os._exit(0)


def _open_and_save(url: str, reports: int) -> dict[str, Any]:  # pragma: no cover - see open
    """The child's work: its reply, or nothing when the parent sent no report."""
    from maturity.store.database import close_all, open_store
    from maturity.store.saving import save_run

    try:
        store = open_store(url)
    except MaturityError as exc:
        return {"error": str(exc), "exit": exc.exit_code}
    with os.fdopen(reports, "rb") as pipe:
        data = pipe.read()
    if not data:  # the run failed: nothing to save
        return {}
    # bytes this process's parent pickled, through a pipe only the two of them hold
    report = pickle.loads(data)  # noqa: S301  # nosec B301
    try:
        return {"id": save_run(store, report), "url": store.url}
    except MaturityError as exc:
        return {"error": str(exc), "exit": exc.exit_code}
    finally:
        close_all()
