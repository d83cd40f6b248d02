"""Scenes and the choices that lead out of them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Choice:
    """A choice the player can make, and the scene it leads to."""

    label: str
    target: str


@dataclass
class Scene:
    """A scene of the story: its text and the choices out of it."""

    scene_id: str
    text: str
    choices: list[Choice] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)

    def choice(self, label: str) -> Choice:
        """The choice called ``label``; KeyError when there is none."""
        for choice in self.choices:
            if choice.label == label:
                return choice
        raise KeyError(label)

    def is_ending(self) -> bool:
        """True when no choice leads out of the scene."""
        return not self.choices


def scene_from_dict(data: dict[str, Any]) -> Scene:
    choices = [Choice(c["label"], c["target"]) for c in data.get("choices", [])]
    return Scene(data["id"], data["text"], choices, set(data.get("tags", [])))


def scenes_from_list(items: list[dict[str, Any]]) -> list[Scene]:
    return [scene_from_dict(item) for item in items]
