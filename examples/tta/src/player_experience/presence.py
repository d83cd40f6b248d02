"""Who is playing right now: a presence list kept in Redis with a time-to-live."""

from __future__ import annotations

from typing import Protocol


class KeyValue(Protocol):
    """The part of a Redis client presence uses (redis-py's ``Redis`` fits)."""

    def set(self, name: str, value: str, ex: int | None = None) -> object:
        """Store a value with an optional expiry in seconds."""
        ...

    def get(self, name: str) -> bytes | str | None:
        """The stored value, or None."""
        ...

    def delete(self, *names: str) -> int:
        """Remove keys; the number removed."""
        ...


class Presence:
    """Marks players as online for ``ttl`` seconds after their last turn."""

    def __init__(self, client: KeyValue, ttl: int = 300) -> None:
        if ttl <= 0:
            raise ValueError("ttl must be positive")
        self.client = client
        self.ttl = ttl

    @staticmethod
    def key(player_id: str) -> str:
        """The Redis key of one player."""
        return f"tta:presence:{player_id}"

    def seen(self, player_id: str, scene: str) -> None:
        """Record that the player is online, in ``scene``."""
        self.client.set(self.key(player_id), scene, ex=self.ttl)

    def scene_of(self, player_id: str) -> str | None:
        """The scene an online player is in, or None when they are offline."""
        value = self.client.get(self.key(player_id))
        if value is None:
            return None
        return value.decode() if isinstance(value, bytes) else value

    def leave(self, player_id: str) -> bool:
        """Mark the player offline; True when they were online."""
        return self.client.delete(self.key(player_id)) == 1
