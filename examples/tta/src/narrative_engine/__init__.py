"""Narrative engine: scenes, choices and the story graph that links them."""
