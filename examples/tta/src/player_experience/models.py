"""Player profiles and the turns of a play session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass
class PlayerProfile:
    """A player and the comfort settings they chose."""

    player_id: str
    display_name: str
    content_warnings: set[str] = field(default_factory=set)
    pace: str = "gentle"

    def wants_warning(self, topic: str) -> bool:
        """True when the player asked to be warned before ``topic``."""
        return topic.lower() in self.content_warnings

    def rename(self, display_name: str) -> None:
        """Change the name shown to other players."""
        name = display_name.strip()
        if not name:
            raise ValueError("display name cannot be empty")
        self.display_name = name


@dataclass(frozen=True)
class Turn:
    """One exchange: what the player chose and when."""

    number: int
    choice: str
    at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def summary(self) -> str:
        """A one-line description for the session log."""
        return f"turn {self.number}: {self.choice}"
