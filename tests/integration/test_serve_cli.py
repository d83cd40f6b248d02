"""``maturity serve`` refuses, in one line and with its exit code, what it cannot serve."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from maturity.errors import EXIT_PORT_IN_USE, EXIT_USAGE
from tests.helpers import cli
from tests.servers import free_port


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("maturity: error: ")
    return lines[0]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    return tmp_path / "repo"


def test_a_path_that_does_not_exist_is_refused_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    code, _, err = cli("serve", str(missing), "--port", str(free_port()))
    assert code == EXIT_USAGE
    assert f"{missing}: no such directory" in one_line_error(err)
    assert not missing.exists()


def test_a_file_or_a_directory_that_is_no_repository_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "f.txt"
    file.write_text("x")
    code, _, err = cli("serve", str(file))
    assert code == EXIT_USAGE and "is a file" in one_line_error(err)
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = cli("serve", str(empty))
    assert code == EXIT_USAGE and "not a repository" in one_line_error(err)
    assert list(empty.iterdir()) == []  # no .maturity/, no .gitignore


@pytest.mark.parametrize("url", ["not-a-url", "nosuchdriver://x/y", "sqlite+nosuch:///x.db"])
def test_a_database_url_that_does_not_parse_is_refused(repo: Path, url: str) -> None:
    code, _, err = cli("serve", str(repo), "--db", url, "--port", str(free_port()))
    assert code == EXIT_USAGE
    assert "invalid database URL" in one_line_error(err)


def test_the_environment_url_is_checked_too(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MATURITY_DATABASE_URL", "garbage")
    code, _, err = cli("serve", str(repo), "--port", str(free_port()))
    assert code == EXIT_USAGE and "'garbage'" in one_line_error(err)


@pytest.mark.parametrize("port", ["0", "65536", "99999", "-1", "http"])
def test_a_port_out_of_range_is_a_usage_error(repo: Path, port: str) -> None:
    code, _, err = cli("serve", str(repo), "--port", port)
    assert code == EXIT_USAGE
    assert "'--port'" in one_line_error(err)


def test_a_port_in_use_has_its_own_exit_code(repo: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = cli("serve", str(repo), "--port", str(port))
    assert code == EXIT_PORT_IN_USE == 6
    assert f"cannot listen on 127.0.0.1:{port}: address already in use" in one_line_error(err)


def test_a_host_that_does_not_resolve_is_a_usage_error(repo: Path) -> None:
    code, _, err = cli("serve", str(repo), "--host", "no-such-host.invalid", "--port", "8080")
    assert code == EXIT_USAGE and "cannot listen on no-such-host.invalid:8080" in one_line_error(
        err
    )
