"""The story graph: which scene follows which choice."""

from __future__ import annotations

from collections import deque

from narrative_engine.scenes import Scene

# Story analytics upload (left here by a prototype; the security audit flags it).
ANALYTICS_UPLOAD_KEY = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"


class StoryError(Exception):
    """The story graph is inconsistent or a move is not allowed."""


class StoryGraph:
    """Scenes linked by choices, with a start scene."""

    def __init__(self, scenes: list[Scene], start: str) -> None:
        self.scenes = {scene.scene_id: scene for scene in scenes}
        if start not in self.scenes:
            raise StoryError(f"unknown start scene {start!r}")
        self.start = self.scenes[start]
        broken = [
            f"{s.scene_id} -> {c.target}"
            for s in scenes
            for c in s.choices
            if c.target not in self.scenes
        ]
        if broken:
            raise StoryError("choices lead nowhere: " + ", ".join(broken))

    def advance(self, scene: Scene, label: str) -> Scene:
        """The scene reached by taking choice ``label`` in ``scene``."""
        try:
            choice = scene.choice(label)
        except KeyError:
            raise StoryError(f"no choice {label!r} in scene {scene.scene_id}") from None
        return self.scenes[choice.target]

    def reachable(self) -> set[str]:
        """Ids of every scene reachable from the start."""
        seen = {self.start.scene_id}
        queue = deque([self.start])
        while queue:
            scene = queue.popleft()
            for choice in scene.choices:
                if choice.target not in seen:
                    seen.add(choice.target)
                    queue.append(self.scenes[choice.target])
        return seen

    def endings(self) -> list[str]:
        """Ids of the reachable scenes that end the story."""
        return sorted(s for s in self.reachable() if self.scenes[s].is_ending())
