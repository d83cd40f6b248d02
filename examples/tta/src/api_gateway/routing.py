"""Path routing with ``{name}`` parameters."""

from __future__ import annotations

from collections.abc import Callable

from api_gateway.errors import NotFound
from api_gateway.messages import Request, Response

Handler = Callable[[Request], Response]


class Router:
    """Maps ``METHOD /path/{param}`` patterns to handlers."""

    def __init__(self) -> None:
        self.routes: list[tuple[str, list[str], Handler]] = []

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        """Register a handler for a method and path pattern."""
        self.routes.append((method.upper(), pattern.strip("/").split("/"), handler))

    def resolve(self, request: Request) -> Handler:
        """The handler for a request, filling ``request.params``; NotFound otherwise."""
        parts = request.path.strip("/").split("/")
        for method, pattern, handler in self.routes:
            if method != request.method.upper() or len(pattern) != len(parts):
                continue
            params: dict[str, str] = {}
            for want, got in zip(pattern, parts, strict=True):
                if want.startswith("{") and want.endswith("}"):
                    params[want[1:-1]] = got
                elif want != got:
                    break
            else:
                request.params = params
                return handler
        raise NotFound(f"no route for {request.method} {request.path}")
