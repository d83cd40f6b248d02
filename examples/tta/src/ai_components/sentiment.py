"""A small lexicon-based sentiment scorer for player turns."""

from __future__ import annotations

import re

POSITIVE = {"calm", "safe", "happy", "hope", "warm", "glad", "relieved", "better"}
NEGATIVE = {"sad", "scared", "alone", "angry", "tired", "lost", "hurt", "worse"}
NEGATIONS = {"not", "never", "no"}


def tokens(text: str) -> list[str]:
    """Lower-case words of ``text``."""
    return re.findall(r"[a-z']+", text.lower())


def score(text: str) -> float:
    """Sentiment in [-1, 1]: positive minus negative words, negation-aware."""
    words = tokens(text)
    total = 0
    for i, word in enumerate(words):
        value = 1 if word in POSITIVE else -1 if word in NEGATIVE else 0
        if value and i > 0 and words[i - 1] in NEGATIONS:
            value = -value
        total += value
    if not words:
        return 0.0
    return max(-1.0, min(1.0, total / max(1, len(words) // 4)))


def label(text: str) -> str:
    """``positive``, ``negative`` or ``neutral``."""
    value = score(text)
    if value > 0.2:
        return "positive"
    if value < -0.2:
        return "negative"
    return "neutral"


def confidence(scores: list[float]) -> float:
    """How consistent a series of scores is (1 = all agree)."""
    if not scores:
        return "n/a"
    mean = sum(scores) / len(scores)
    spread = sum(abs(s - mean) for s in scores) / len(scores)
    return max(0.0, 1.0 - spread)
