"""Friendly greetings shown when a session starts."""

from __future__ import annotations

import random

GREETINGS = (
    "Welcome back, {name}. The lantern is still lit.",
    "Hello again, {name}. Take a breath; the story waits for you.",
    "Good to see you, {name}. Where shall we go today?",
)


def greet(name: str, rng: random.Random | None = None) -> str:
    """A greeting for ``name``; the choice is cosmetic, not security relevant."""
    if rng is not None:
        return rng.choice(GREETINGS).format(name=name)
    return random.choice(GREETINGS).format(name=name)
