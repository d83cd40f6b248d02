"""The gateway application: auth, rate limit, middleware, routing."""

from __future__ import annotations

from functools import partial

from api_gateway import handlers
from api_gateway.auth import authenticate
from api_gateway.config import GatewayConfig
from api_gateway.errors import HttpError
from api_gateway.messages import Request, Response
from api_gateway.middleware import Next, request_id, timing
from api_gateway.rate_limit import RateLimiter
from api_gateway.routing import Router
from api_gateway.serializers import error_body


class Gateway:
    """Handles a request end to end and always answers with a Response."""

    def __init__(self, config: GatewayConfig, limiter: RateLimiter | None = None) -> None:
        self.config = config
        self.limiter = limiter or RateLimiter(config.requests_per_minute, config.burst)
        self.router = Router()
        self.router.add("GET", "/health", handlers.health)
        self.router.add("GET", "/players/{player_id}", handlers.get_player)
        self.middleware = [request_id, timing]

    def _dispatch(self, request: Request) -> Response:
        try:
            authenticate(request, self.config)
            self.limiter.check(request.client)
            return self.router.resolve(request)(request)
        except HttpError as error:
            return Response(error.status, error_body(error))

    def handle(self, request: Request) -> Response:
        """Run the middleware chain around dispatch."""
        call: Next = self._dispatch
        for middleware in reversed(self.middleware):
            call = partial(middleware, call_next=call)
        return call(request)
