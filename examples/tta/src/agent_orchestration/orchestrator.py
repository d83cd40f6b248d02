"""Routes a turn to every agent and orders their replies."""

from __future__ import annotations

from agent_orchestration.agents import Agent, Reply


class Orchestrator:
    """Asks each agent in turn and keeps the replies that matter most."""

    def __init__(self, agents: list[Agent], max_replies: int = 2) -> None:
        if max_replies < 1:
            raise ValueError("max_replies must be at least 1")
        self.agents = agents
        self.max_replies = max_replies

    def handle(self, turn: str) -> list[Reply]:
        """Replies to ``turn``, highest priority first."""
        replies = [r for agent in self.agents if (r := agent.respond(turn)) is not None]
        replies.sort(key=lambda r: r.priority, reverse=True)
        return replies[: self.max_replies]

    def transcript(self, turns: list[str]) -> list[str]:
        """Every reply to a sequence of turns, as ``agent: text`` lines."""
        return [f"{r.agent}: {r.text}" for turn in turns for r in self.handle(turn)]
