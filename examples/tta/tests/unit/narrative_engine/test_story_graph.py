import pytest

from narrative_engine.engine import StoryError, StoryGraph
from narrative_engine.scenes import Choice, Scene, scenes_from_list

SCENES = [
    {"id": "gate", "text": "A gate.", "choices": [{"label": "enter", "target": "hall"}]},
    {
        "id": "hall",
        "text": "A hall.",
        "choices": [{"label": "rest", "target": "garden"}, {"label": "leave", "target": "gate"}],
        "tags": ["calm"],
    },
    {"id": "garden", "text": "A garden."},
    {"id": "attic", "text": "Nobody comes here."},
]


def graph() -> StoryGraph:
    return StoryGraph(scenes_from_list(SCENES), start="gate")


def test_advance_and_endings():
    g = graph()
    hall = g.advance(g.start, "enter")
    assert hall.scene_id == "hall"
    assert "calm" in hall.tags
    assert g.reachable() == {"gate", "hall", "garden"}
    assert g.endings() == ["garden"]


def test_unknown_choice():
    g = graph()
    with pytest.raises(StoryError, match="no choice 'fly'"):
        g.advance(g.start, "fly")


def test_broken_links_and_start():
    with pytest.raises(StoryError, match="lead nowhere"):
        StoryGraph([Scene("a", "A", [Choice("go", "b")])], start="a")
    with pytest.raises(StoryError, match="unknown start"):
        StoryGraph([Scene("a", "A")], start="z")
