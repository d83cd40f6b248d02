"""``maturity serve``: the dashboard, after checking everything it can before listening.

A path that is not a repository, a ``--db`` that is no database URL, a port out of range
or one already taken are each one line and an exit code, not a server that starts and
answers 503 forever (or creates a store in a directory that did not exist).
"""

from __future__ import annotations

import errno
import socket
from pathlib import Path
from typing import Annotated

import typer

from maturity.cli.app import DbOpt, PathArg, app, store_url
from maturity.errors import MaturityError, PortInUse, UsageError
from maturity.project import load_project
from maturity.store.location import DEFAULT_FILE, default_url, resolve_url

MARKERS = (".git", "pyproject.toml", str(DEFAULT_FILE))
"""What makes a directory a repository ``serve`` may create the default store in."""


def check_repository(path: Path, default_store: bool) -> None:
    """A usage error unless ``path`` is a directory and, when the store is the default one
    inside it, a repository (git, a Python project, or an existing store)."""
    if not path.exists():
        raise UsageError(f"{path}: no such directory")
    if not path.is_dir():
        raise UsageError(f"{path}: not a directory")
    if default_store and not any((path / marker).exists() for marker in MARKERS):
        raise UsageError(
            f"{path}: not a repository (no .git, pyproject.toml or {DEFAULT_FILE});"
            " pass the repository or --db"
        )


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port``: PortInUse when another process holds it, a usage
    error when the host cannot be resolved or bound."""
    address = f"{host}:{port}"
    try:
        family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise UsageError(f"cannot listen on {address}: {exc.strerror}") from exc
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(f"cannot listen on {address}: address already in use") from exc
        raise UsageError(f"cannot listen on {address}: {exc.strerror}") from exc
    return sock


def issues_of(path: Path) -> str | None:
    """The repository's GitHub issues page, to link blockers to their issues; None when
    no repository is known or the project's configuration cannot be read (``run`` and
    ``check`` say why; the dashboard serves the store either way)."""
    from maturity.github import issues_page  # httpx: imported when serving, not at start-up

    try:
        return issues_page(load_project(path))
    except MaturityError:
        return None


@app.command()
def serve(
    path: PathArg = Path("."),
    db: DbOpt = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8080,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="MATURITY_DASHBOARD_TOKEN", help="Write token (default: read-only dashboard)."
        ),
    ] = None,
) -> None:
    """Serve the Maturity Dashboard at http://HOST:PORT/dashboard/maturity."""
    import uvicorn

    from maturity.dashboard.app import configure_logging, create_app
    from maturity.store.database import check_url

    url = resolve_url(path.resolve(), db)  # --db, else $MATURITY_DATABASE_URL, else default
    default_store = url == default_url(path.resolve())
    check_repository(path, default_store)
    if not default_store:
        check_url(url)
    sock = listen(host, port)
    url = store_url(path, db)
    configure_logging()
    typer.echo(f"Maturity Dashboard on http://{host}:{port}/dashboard/maturity (store: {url})")
    config = uvicorn.Config(create_app(url, token, issues=issues_of(path)), log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])
