"""Middleware: request ids and response timing headers."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

from api_gateway.messages import Request, Response

Next = Callable[[Request], Response]
_ids = itertools.count(1)


def request_id(request: Request, call_next: Next) -> Response:
    """Give every request an id, echoed in the response."""
    rid = request.headers.setdefault("x-request-id", f"req-{next(_ids)}")
    response = call_next(request)
    response.headers["x-request-id"] = rid
    return response


def timing(request: Request, call_next: Next) -> Response:
    """Report how long the handler took, in milliseconds."""
    start = time.perf_counter()
    response = call_next(request)
    response.headers["x-response-ms"] = f"{(time.perf_counter() - start) * 1000:.1f}"
    return response
