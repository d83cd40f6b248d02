import pytest

from narrative_engine.engine import StoryGraph
from narrative_engine.scenes import Choice, Scene
from player_experience import PlayerProfile, SessionManager

pytestmark = [pytest.mark.integration, pytest.mark.player_experience]


def test_a_session_follows_the_story():
    graph = StoryGraph(
        [
            Scene("gate", "A gate.", [Choice("enter", "hall")]),
            Scene("hall", "A hall.", []),
        ],
        start="gate",
    )
    manager = SessionManager()
    session, _ = manager.start(PlayerProfile("p-1", "Robin"))
    scene = graph.advance(graph.start, "enter")
    manager.record(session.session_id, f"enter -> {scene.scene_id}")
    assert manager.end(session.session_id) == ["turn 1: enter -> hall"]
