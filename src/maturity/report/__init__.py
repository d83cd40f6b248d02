"""Renderers of one evaluation: terminal, JSON, Markdown, JUnit XML."""
