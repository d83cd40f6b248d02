"""Retake the README's dashboard screenshots from real runs (not a mock-up).

On a copy of examples/tta made a git repository: ``maturity run`` (stored); a commit
that removes narrative_engine's unused import, and another run; ``maturity promote
api_gateway --to staging`` and ``maturity deploy api_gateway --env staging``, and a third
run. Then ``maturity serve`` over that store, photographed by headless Chromium:

- ``overview.png``: the overview at 1280 px (light), the whole page;
- ``overview-dark.png``: its first screen in dark mode;
- ``overview-phone.png``: its first screens at 390 px;
- ``component.png``: narrative_engine's page at 1280 px (criteria, trend charts);
- ``compare.png``, ``blockers.png``, ``deployments.png``: those pages at 1280 px.

Run from the repository root (Debian's chromium at /usr/bin/chromium):

    .venv/bin/python docs/screenshots/make_screenshots.py
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
MATURITY = str(Path(sys.executable).parent / "maturity")
P = "/dashboard/maturity"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def sh(repo: Path, *argv: str) -> str:
    """Run a command in the repository; its output (a failure stops the script)."""
    done = subprocess.run(argv, cwd=repo, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):  # 1: criteria failed, as expected on examples/tta
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout


def history(repo: Path) -> None:
    """Three real runs with a fix, a promotion and a deployment between them."""
    git = ["git", "-c", "user.name=Dana", "-c", "user.email=dana@example.com"]
    sh(repo, *git, "init", "-q", "-b", "main")
    sh(repo, *git, "add", "-A")
    sh(repo, *git, "commit", "-qm", "main")
    sh(repo, MATURITY, "run", "--no-progress")
    scenes = repo / "src" / "narrative_engine" / "scenes.py"
    scenes.write_text(scenes.read_text().replace("import json\n", "", 1))
    sh(repo, *git, "commit", "-qam", "narrative_engine: drop an unused import")
    sh(repo, MATURITY, "run", "--no-progress")
    sh(repo, MATURITY, "promote", "api_gateway", "--to", "staging", "--by", "Dana")
    sh(repo, *git, "commit", "-qam", "api_gateway: staging")
    sh(repo, MATURITY, "deploy", "api_gateway", "--env", "staging", "--version", "1.0.0",
       "--by", "ci")  # fmt: skip
    sh(repo, MATURITY, "run", "--no-progress")


def serve(repo: Path, port: int) -> subprocess.Popen[bytes]:
    """``maturity serve`` of the repository's store, once it answers."""
    server = subprocess.Popen(
        [MATURITY, "serve", str(repo), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("maturity serve did not answer")


def photograph(base: str) -> None:
    """Every screenshot of the module's list."""
    shots = [
        ("overview.png", P, 1280, "light", True),
        ("overview-dark.png", P, 1280, "dark", False),
        ("overview-phone.png", P, 390, "light", False),
        ("component.png", f"{P}/components/narrative_engine", 1280, "light", True),
        ("compare.png", f"{P}/compare", 1280, "light", True),
        ("blockers.png", f"{P}/blockers", 1280, "light", True),
        ("deployments.png", f"{P}/deployments", 1280, "light", True),
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, path, width, scheme, full in shots:
            page = browser.new_page(
                viewport={"width": width, "height": 1000 if width > 400 else 1600},
                color_scheme=scheme,  # type: ignore[arg-type]
            )
            page.goto(base + path)
            page.screenshot(path=str(OUT / name), full_page=full)
            page.close()
            print(f"wrote docs/screenshots/{name}")
        browser.close()


def main() -> None:
    """Measure, serve, photograph."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "tta"
        shutil.copytree(ROOT / "examples" / "tta", repo, ignore=shutil.ignore_patterns(
            ".venv", "__pycache__", "run", ".maturity/history.db*"))  # fmt: skip
        history(repo)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        server = serve(repo, port)
        try:
            photograph(f"http://127.0.0.1:{port}")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
