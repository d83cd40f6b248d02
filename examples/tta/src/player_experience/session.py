"""Play sessions: start, record turns, end."""

from __future__ import annotations

from dataclasses import dataclass, field

from player_experience.greetings import greet
from player_experience.models import PlayerProfile, Turn


@dataclass
class Session:
    """A running play session."""

    session_id: str
    player: PlayerProfile
    turns: list[Turn] = field(default_factory=list)
    open: bool = True


class SessionManager:
    """Keeps the sessions of the players currently playing."""

    def __init__(self) -> None:
        self._sessions: dict[str, Session] = {}
        self._next = 1

    def start(self, player: PlayerProfile) -> tuple[Session, str]:
        """Open a session for ``player`` and return it with its greeting."""
        session = Session(session_id=f"s-{self._next}", player=player)
        self._next += 1
        self._sessions[session.session_id] = session
        return session, greet(player.display_name)

    def record(self, session_id: str, choice: str) -> Turn:
        """Record the player's choice as the next turn."""
        session = self._sessions[session_id]
        if not session.open:
            raise RuntimeError(f"session {session_id} is closed")
        turn = Turn(number=len(session.turns) + 1, choice=choice)
        session.turns.append(turn)
        return turn

    def end(self, session_id: str) -> list[str]:
        """Close a session and return its log."""
        session = self._sessions[session_id]
        session.open = False
        return [turn.summary() for turn in session.turns]

    def active(self) -> list[str]:
        """Ids of the sessions still open."""
        return [s.session_id for s in self._sessions.values() if s.open]
