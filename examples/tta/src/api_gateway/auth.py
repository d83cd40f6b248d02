"""API key authentication."""

from __future__ import annotations

import hmac

from api_gateway.config import GatewayConfig
from api_gateway.errors import Unauthorized
from api_gateway.messages import Request

HEADER = "x-api-key"


def authenticate(request: Request, config: GatewayConfig) -> str | None:
    """The API key used, None for public paths; Unauthorized when missing or wrong."""
    if request.path in config.public_paths:
        return None
    presented = request.headers.get(HEADER, "")
    if not presented:
        raise Unauthorized("missing API key")
    if not any(hmac.compare_digest(presented, key) for key in config.api_keys):
        raise Unauthorized("unknown API key")
    return presented
