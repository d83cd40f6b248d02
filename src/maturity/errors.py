"""User-facing errors and the exit codes they map to."""

from __future__ import annotations

EXIT_OK = 0
EXIT_CRITERIA_FAILED = 1
EXIT_USAGE = 2
EXIT_NOT_MEASURED = 3
EXIT_DATABASE = 4
EXIT_GITHUB = 5
EXIT_PORT_IN_USE = 6
EXIT_WORKSPACE = 7
EXIT_SHARDS = 8


class MaturityError(Exception):
    """An error that is the user's to fix; printed as one line, never a traceback."""

    exit_code = EXIT_USAGE


class ConfigError(MaturityError):
    """The configuration cannot be read or is invalid."""

    def __init__(self, file: str, key: str | None, cause: str) -> None:
        self.file = file
        self.key = key
        self.cause = cause
        where = f"{file}: {key}" if key else file
        super().__init__(f"invalid configuration: {where}: {cause}")


class WorkspaceError(ConfigError):
    """A workspace member cannot be resolved: a member glob matching nothing, a member
    without a ``pyproject.toml``, a broken or nameless member ``pyproject.toml``."""

    exit_code = EXIT_WORKSPACE

    def __init__(self, file: str, key: str | None, cause: str) -> None:
        super().__init__(file, key, cause)
        where = f"{file}: {key}" if key else file
        self.args = (f"invalid workspace: {where}: {cause}",)


class ShardError(MaturityError):
    """Shard bundles that do not make one run: one missing or given twice, from another
    commit, configuration or tool version, unreadable; or a run that cannot be sharded."""

    exit_code = EXIT_SHARDS


class UsageError(MaturityError):
    """The command line asks for something that does not exist."""


class PortInUse(MaturityError):
    """``serve`` cannot listen: another process holds the address."""

    exit_code = EXIT_PORT_IN_USE
