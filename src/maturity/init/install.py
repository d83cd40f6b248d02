"""Where the generated workflows install maturity from.

maturity is not published on the package index under its name (a different project may
take that name at any time), so ``pip install maturity`` in CI would fail or, worse,
install someone else's code. ``maturity init`` therefore needs ``--install SPEC``; when
this installation came from a VCS or an archive URL (PEP 610 ``direct_url.json``), the
usage error proposes exactly that requirement.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import metadata
from typing import Any

from maturity.errors import UsageError

DISTRIBUTION = "maturity"
EXAMPLE = f"{DISTRIBUTION} @ git+https://github.com/<org>/maturity@<tag>"


def requirement_from_direct_url(data: Any, name: str = DISTRIBUTION) -> str | None:
    """The pip requirement a PEP 610 ``direct_url.json`` records: a VCS URL at the
    revision asked for (else the commit installed), or a remote archive. None for a local
    directory or file (CI cannot reach it) and for anything malformed."""
    if not isinstance(data, dict):
        return None
    url = data.get("url")
    if not isinstance(url, str) or not url or url.startswith("file:"):
        return None
    fragment = ""
    if isinstance(data.get("subdirectory"), str):
        fragment = f"#subdirectory={data['subdirectory']}"
    vcs_info = data.get("vcs_info")
    if isinstance(vcs_info, dict) and isinstance(vcs_info.get("vcs"), str):
        revision = vcs_info.get("requested_revision") or vcs_info.get("commit_id")
        at = f"@{revision}" if isinstance(revision, str) and revision else ""
        return f"{name} @ {vcs_info['vcs']}+{url}{at}{fragment}"
    if isinstance(data.get("archive_info"), dict):
        return f"{name} @ {url}{fragment}"
    return None


def installed_from(path: Sequence[str] | None = None) -> str | None:
    """The requirement this installation of maturity came from, when it came from a URL
    (``path``: where to look for installed distributions, default ``sys.path``)."""
    found = (
        metadata.distributions(name=DISTRIBUTION)  # path=None would mean nowhere
        if path is None
        else metadata.distributions(name=DISTRIBUTION, path=list(path))
    )
    dist = next(iter(found), None)
    if dist is None:
        return None
    text = dist.read_text("direct_url.json")
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return requirement_from_direct_url(data, dist.metadata["Name"] or DISTRIBUTION)


def required_install(given: str | None) -> str:
    """``given`` when it is a usable requirement; otherwise a one-line usage error that
    proposes where this installation came from, or an example."""
    if given is not None and given.strip() and given.isprintable():
        return given.strip()
    if given is not None:
        raise UsageError(f"--install {given!r}: not a pip requirement on one line")
    proposal = installed_from()
    spec, where = (proposal, " (where this installation came from)") if proposal else (EXAMPLE, "")
    raise UsageError(
        "--install is required: maturity is not published on the package index under its"
        " name, so the workflows must install it from where your team keeps it, e.g."
        f" --install '{spec}'{where}"
    )
