import pytest

from agent_orchestration.agents import NarratorAgent
from agent_orchestration.orchestrator import Orchestrator
from agent_orchestration.persistence import TurnStore

pytestmark = pytest.mark.integration


def test_turns_survive_a_restart(tmp_path):
    store = TurnStore(tmp_path)
    for line in Orchestrator([NarratorAgent()]).transcript(["walk", "rest"]):
        store.append("s-1", line)
    assert len(TurnStore(tmp_path).load("s-1")) == 2
