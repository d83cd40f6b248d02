"""Token-bucket rate limiting per client."""

from __future__ import annotations

import time
from collections.abc import Callable

from api_gateway.errors import TooManyRequests


class RateLimiter:
    """Allows ``burst`` requests at once, refilled at ``per_minute``."""

    def __init__(
        self, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = burst
        self.clock = clock
        self.buckets: dict[str, tuple[float, float]] = {}

    def check(self, client: str) -> float:
        """Take a token for ``client``; TooManyRequests when the bucket is empty."""
        now = self.clock()
        tokens, last = self.buckets.get(client, (float(self.burst), now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1:
            self.buckets[client] = (tokens, now)
            raise TooManyRequests(f"rate limit exceeded for {client}")
        self.buckets[client] = (tokens - 1, now)
        return tokens - 1
