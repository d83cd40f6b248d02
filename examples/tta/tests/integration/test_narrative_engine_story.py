import pytest

from narrative_engine.engine import StoryGraph
from narrative_engine.scenes import scenes_from_list

pytestmark = pytest.mark.integration


def test_story_loaded_from_data_reaches_an_ending():
    graph = StoryGraph(
        scenes_from_list(
            [
                {"id": "a", "text": "A", "choices": [{"label": "on", "target": "b"}]},
                {"id": "b", "text": "B"},
            ]
        ),
        start="a",
    )
    assert graph.endings() == ["b"]
