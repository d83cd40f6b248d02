"""The agents that answer a player's turn."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Reply:
    """What one agent says in answer to a turn."""

    agent: str
    text: str
    priority: int = 0


class Agent(Protocol):
    """Anything that can answer a turn."""

    name: str

    def respond(self, turn: str) -> Reply | None:
        """A reply, or None when the agent has nothing to add."""
        ...


class NarratorAgent:
    """Describes what happens next in the story."""

    name = "narrator"

    def respond(self, turn: str) -> Reply | None:
        """Narrate the consequence of the player's action."""
        action = turn.strip().rstrip(".")
        if not action:
            return None
        return Reply(self.name, f"You {action}. The room grows quiet around you.")


class WellbeingAgent:
    """Notices signs of distress and offers a pause."""

    name = "wellbeing"
    CUES = ("tired", "scared", "sad", "overwhelmed", "anxious")

    def respond(self, turn: str) -> Reply | None:
        """Offer a grounding pause when the turn mentions a distress cue."""
        lowered = turn.lower()
        if any(cue in lowered for cue in self.CUES):
            return Reply(self.name, "Would you like to pause and take three slow breaths?", 10)
        return None
