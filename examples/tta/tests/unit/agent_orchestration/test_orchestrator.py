import pytest

from agent_orchestration.agents import NarratorAgent, WellbeingAgent
from agent_orchestration.orchestrator import Orchestrator


def test_wellbeing_reply_comes_first():
    orchestrator = Orchestrator([NarratorAgent(), WellbeingAgent()])
    replies = orchestrator.handle("I am scared and open the door.")
    assert [r.agent for r in replies] == ["wellbeing", "narrator"]


def test_quiet_turn_and_limit():
    orchestrator = Orchestrator([NarratorAgent(), WellbeingAgent()], max_replies=1)
    assert orchestrator.handle("   ") == []
    assert orchestrator.transcript(["walk north"]) == [
        "narrator: You walk north. The room grows quiet around you."
    ]
    with pytest.raises(ValueError):
        Orchestrator([], max_replies=0)
