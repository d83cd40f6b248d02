"""Hostile tools and tests: hung, forking, killed, flooding, missing. Real processes only.

Whatever a tool (or a test it runs) does, maturity leaves no process behind, reports the
criterion ``error`` naming the tool, never ``pass``, and never shows a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from maturity.collectors.base import RunContext
from maturity.model import Status
from maturity.project import load_project
from maturity.runner import collect
from tests.helpers import measure, result, write_tree

pytestmark = pytest.mark.slow

SRC = str(Path(__file__).resolve().parents[2] / "src")
DEADLINE = 120.0  # generous: the machine may be busy; nothing here measures speed

HANGING = {
    "pyproject.toml": """
        [tool.maturity]
        timeout = 8
        [tool.pytest.ini_options]
        pythonpath = ["src"]
        """,
    "src/shop/__init__.py": '"""Shop."""\n',
    "tests/unit/test_hang.py": """
        import os
        import subprocess
        import sys
        import time
        from pathlib import Path


        def test_spawns_and_hangs():
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
            pids = Path(os.environ["HANG_PIDS"])
            pids.write_text(f"{os.getpid()} {child.pid}\\n")
            time.sleep(600)
        """,
}


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie nobody reaped yet counts as gone)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_until(condition: object, within: float = DEADLINE) -> bool:
    """Poll ``condition()`` until it holds or ``within`` seconds pass."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return bool(condition())  # type: ignore[operator]


def gone(pids: list[int]) -> bool:
    """Whether none of ``pids`` runs any more."""
    return not any(alive(p) for p in pids)


def read_pids(path: Path) -> list[int]:
    """The pids the hanging test wrote: pytest's, then its child's."""
    return [int(p) for p in path.read_text().split()]


def kill_listed(path: Path) -> None:
    """Kill whatever pid listed in ``path`` still runs: a failed test leaves nothing."""
    if path.exists():
        for pid in read_pids(path):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def hang_pids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Where the hanging test writes its pids (``$HANG_PIDS``); killed afterwards."""
    path = tmp_path / "pids"
    monkeypatch.setenv("HANG_PIDS", str(path))
    yield path
    kill_listed(path)


@pytest.fixture
def fake_pids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Where a fake tool writes its child's pid (``$FAKE_PIDS``); killed afterwards."""
    path = tmp_path / "fake-pids"
    monkeypatch.setenv("FAKE_PIDS", str(path))
    yield path
    kill_listed(path)


def maturity_env(**extra: str) -> dict[str, str]:
    """The environment of a ``python -m maturity`` subprocess importing this tree."""
    return {**os.environ, "PYTHONPATH": SRC, **extra}


def test_timeout_kills_the_grandchild_and_is_an_error(tmp_path: Path, hang_pids: Path) -> None:
    repo = write_tree(tmp_path / "repo", HANGING)
    facts, project = measure(repo, "tests")
    assert hang_pids.exists(), "the test under measurement never started"
    assert wait_until(lambda: gone(read_pids(hang_pids))), "a process of the test survived"
    for criterion in ("dev.unit_tests", "dev.coverage"):
        res = result(facts, project, "shop", criterion)
        assert res.status is Status.ERROR, (criterion, res.summary)
        assert "pytest timed out after 8s" in res.summary


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_maturity_and_every_process_of_its_tools(
    tmp_path: Path, hang_pids: Path, signum: signal.Signals
) -> None:
    files = dict(HANGING)
    files["pyproject.toml"] = files["pyproject.toml"].replace("timeout = 8", "timeout = 900")
    repo = write_tree(tmp_path / "repo", files)
    proc = subprocess.Popen(
        [sys.executable, "-m", "maturity", "run", str(repo), "--no-store", "--no-progress"],
        env=maturity_env(HANG_PIDS=str(hang_pids)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_until(lambda: hang_pids.exists() and len(read_pids(hang_pids)) == 2)
        pids = read_pids(hang_pids)
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=DEADLINE)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 128 + signum, (proc.returncode, err)
    lines = err.strip().splitlines()
    assert lines == [f"maturity: interrupted by {signum.name}: the tools it ran were stopped"], err
    assert "Traceback" not in out + err
    assert wait_until(lambda: gone(pids)), "a process of the test survived"


# --- tools that misbehave -------------------------------------------------------------

FAKE_TOOLS = {
    "garbage": "#!/bin/sh\necho 'this is {not json'\n",
    "killed": "#!/bin/sh\nkill -9 $$\n",
    "flood": "#!/bin/sh\nhead -c 52428800 /dev/zero | tr '\\0' x\nexit 1\n",
    "forks_and_hangs": '#!/bin/sh\nsleep 600 &\necho $! > "$FAKE_PIDS"\nsleep 600\n',
}

STATIC = {
    "pyproject.toml": '[tool.maturity]\ntimeout = 8\npython = "venv/bin/python"\n',
    "src/shop/__init__.py": '"""Shop."""\n',
}


def fake_venv(root: Path) -> Path:
    """A virtual environment of symlinks to ours, with no tool scripts in its bin/."""
    real = Path(sys.prefix)
    (root / "bin").mkdir(parents=True)
    shutil.copy(real / "pyvenv.cfg", root / "pyvenv.cfg")
    (root / "lib").symlink_to(real / "lib")
    (root / "bin" / "python").symlink_to(Path(sys.executable).resolve())
    return root / "bin" / "python"


@pytest.mark.parametrize("behaviour", sorted(FAKE_TOOLS))
@pytest.mark.parametrize(
    ("tool", "criterion"), [("ruff", "dev.ruff"), ("bandit", "dev.security_scan")]
)
def test_a_misbehaving_tool_is_an_error_naming_it(
    tmp_path: Path, fake_pids: Path, tool: str, criterion: str, behaviour: str
) -> None:
    repo = write_tree(tmp_path / "repo", STATIC)
    fake_venv(repo / "venv")
    script = repo / "venv" / "bin" / tool  # found first: the target's venv
    script.write_text(FAKE_TOOLS[behaviour])
    script.chmod(0o755)
    project = load_project(repo)
    ctx = RunContext(project, str(repo / "venv/bin/python"), repo / ".maturity/run")
    facts = collect(ctx, [tool, "sources"])
    if fake_pids.exists():
        assert wait_until(lambda: gone(read_pids(fake_pids))), "the tool's child survived"
    res = result(facts, project, "shop", criterion)
    assert res.status is Status.ERROR, res.summary
    assert tool in res.summary
    assert "collector failed" not in res.summary  # an exception in maturity
    assert len(res.summary) < 2000


def test_a_tool_missing_from_path_is_an_error(tmp_path: Path) -> None:
    """maturity in an interpreter with no ruff beside it, and a PATH without ruff."""
    repo = write_tree(tmp_path / "repo", STATIC)
    python = fake_venv(repo / "venv")
    out = tmp_path / "report.json"
    proc = subprocess.run(
        [str(python), "-m", "maturity", "run", str(repo), "--json", str(out), "--no-store",
         "--no-progress"],
        env=maturity_env(PATH="/usr/bin:/bin"),
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert "Traceback" not in proc.stdout + proc.stderr
    report = json.loads(out.read_text())
    shop = next(c for c in report["components"] if c["name"] == "shop")
    ruff = next(c for c in shop["criteria"] if c["id"] == "dev.ruff")
    assert ruff["status"] == "error"
    assert "ruff is not installed" in ruff["summary"]
