"""Gateway configuration."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class GatewayConfig:
    """Limits and credentials of the gateway."""

    api_keys: frozenset[str] = field(default_factory=frozenset)
    requests_per_minute: int = 120
    burst: int = 20
    public_paths: frozenset[str] = frozenset({"/health"})
