"""Render the README's CI screenshot from a real run (not a mock-up).

On a copy of examples/tta made a git repository: ``maturity run`` on main (stored), then a
branch that breaks a player_experience unit test and adds an unused import, then
``maturity check --baseline main --summary`` exactly as the generated PR workflow runs
it. The step summary it wrote is rendered as GitHub renders Markdown (tables) and
photographed with headless Chromium. Run from the repository root:

    .venv/bin/python docs/images/make_ci_summary.py

Chromium needs an emoji font for the status icons (Debian: fonts-noto-color-emoji).
It writes docs/images/ci-step-summary.png and docs/images/ci-step-summary.md (the
Markdown it photographed), and prints the exit code ``check`` returned.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from markdown_it import MarkdownIt
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "images"
MATURITY = str(Path(sys.executable).parent / "maturity")
CSS = """
body { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
       color: #1f2328; margin: 24px; max-width: 1180px; }
h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; font-size: 1.5em; }
h3 { font-size: 1.25em; }
table { border-collapse: collapse; display: block; overflow: auto; margin: 0 0 16px; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
th { font-weight: 600; } tr:nth-child(2n) { background: #f6f8fa; }
code { background: #eff1f3; border-radius: 6px; padding: .2em .4em; font-size: 85%; }
.frame { border: 1px solid #d1d9e0; border-radius: 6px; padding: 8px 24px; }
.caption { color: #59636e; font-size: 12px; margin-bottom: 8px; }
"""


def sh(repo: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run a command in the repository, as CI would."""
    return subprocess.run(argv, cwd=repo, capture_output=True, text=True, check=False)


def main() -> int:
    """Measure main and the branch, and photograph the branch's step summary."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "tta"
        shutil.copytree(ROOT / "examples" / "tta", repo, ignore=shutil.ignore_patterns(
            ".venv", "__pycache__", "run", ".maturity/history.db*"))  # fmt: skip
        git = ["git", "-c", "user.name=ci", "-c", "user.email=ci@example.com"]
        sh(repo, *git, "init", "-q", "-b", "main")
        sh(repo, *git, "add", "-A")
        sh(repo, *git, "commit", "-qm", "main")
        sh(repo, MATURITY, "run", "--no-progress")
        sh(repo, *git, "checkout", "-qb", "feature")
        test = repo / "tests" / "unit" / "player_experience" / "test_player_auth.py"
        test.write_text(test.read_text().replace('startswith("30313233")', 'startswith("ffff")'))
        web = repo / "src" / "player_experience" / "greetings.py"
        web.write_text(web.read_text().replace("import random\n", "import json\nimport random\n"))
        sh(repo, *git, "commit", "-qam", "feature")
        summary = Path(tmp) / "summary.md"
        check = sh(repo, MATURITY, "check", "--no-progress", "--no-store", "--baseline", "main",
                   "--summary", str(summary))  # fmt: skip
        text = summary.read_text(encoding="utf-8")
    (OUT / "ci-step-summary.md").write_text(text, encoding="utf-8")
    body = MarkdownIt("commonmark").enable("table").render(text)
    html = (
        f"<!doctype html><meta charset='utf-8'><style>{CSS}</style>"
        "<div class='caption'>Pull request · Component Quality Check · step summary</div>"
        f"<div class='frame'>{body}</div>"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1240, "height": 400}, device_scale_factor=1)
        page.set_content(html)
        page.screenshot(path=str(OUT / "ci-step-summary.png"), full_page=True)
        browser.close()
    print(f"maturity check exited {check.returncode}")
    print(check.stderr, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
