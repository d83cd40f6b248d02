import pytest

from agent_orchestration.agents import WellbeingAgent
from ai_components.sentiment import label

pytestmark = pytest.mark.integration


def test_negative_turns_are_the_ones_the_wellbeing_agent_answers():
    turn = "I am scared and alone"
    assert label(turn) == "negative"
    assert WellbeingAgent().respond(turn) is not None
