"""Service settings read from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """Where the services find each other."""

    redis_url: str = "redis://127.0.0.1:6379/0"
    log_level: str = "INFO"
    request_timeout: float = 5.0


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Settings from ``TTA_*`` environment variables, with defaults."""
    env = os.environ if env is None else env
    timeout = float(env.get("TTA_REQUEST_TIMEOUT", "5"))
    if timeout <= 0:
        raise ValueError("TTA_REQUEST_TIMEOUT must be positive")
    return Settings(
        redis_url=env.get("TTA_REDIS_URL", Settings.redis_url),
        log_level=env.get("TTA_LOG_LEVEL", "INFO").upper(),
        request_timeout=timeout,
    )
