"""Turning domain data and errors into response bodies."""

from __future__ import annotations

from typing import Any

from api_gateway.errors import HttpError


def error_body(error: HttpError) -> dict[str, Any]:
    """The JSON body of an error response."""
    return {"error": type(error).__name__, "message": error.message, "status": error.status}


def player_body(player_id: str, name: str, sessions: int) -> dict[str, Any]:
    """The JSON body describing a player."""
    return {"id": player_id, "name": name, "sessions": sessions}
