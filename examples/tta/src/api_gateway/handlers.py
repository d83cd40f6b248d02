"""Request handlers of the gateway's own endpoints."""

from __future__ import annotations

from api_gateway.errors import NotFound
from api_gateway.messages import Request, Response
from api_gateway.serializers import player_body

PLAYERS = {"p-1": ("Robin", 3), "p-2": ("Sam", 1)}


def health(request: Request) -> Response:
    """``GET /health``."""
    return Response(200, {"status": "ok"})


def get_player(request: Request) -> Response:
    """``GET /players/{player_id}``."""
    player_id = request.params["player_id"]
    if player_id not in PLAYERS:
        raise NotFound(f"no player {player_id}")
    name, sessions = PLAYERS[player_id]
    return Response(200, player_body(player_id, name, sessions))
