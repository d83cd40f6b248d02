"""ASGI wrappers around the whole dashboard: security headers and HEAD for every GET route.

Both wrap the application *outside* Starlette's error middleware, so they also apply to
404s, 422s and the plain 500 page. Pure ASGI (no ``BaseHTTPMiddleware``): streaming
responses such as the live event stream pass through untouched.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 64 * 1024
"""The largest request body: a deployment or the form is a few hundred bytes."""

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
"""The pages load one script and one stylesheet of their own; no inline code at all."""

DOCS_CSP = (
    "default-src 'none'; script-src 'self' https://cdn.jsdelivr.net 'unsafe-inline'; "
    "style-src 'self' https://cdn.jsdelivr.net https://fonts.googleapis.com 'unsafe-inline'; "
    "font-src https://fonts.gstatic.com; img-src 'self' data: https:; connect-src 'self'; "
    "worker-src blob:; base-uri 'none'; frame-ancestors 'none'"
)
"""FastAPI's interactive API docs (``/docs``, ``/redoc``) load Swagger UI / ReDoc from a
CDN with an inline bootstrap script; they show no stored data."""

DOCS_PATHS = ("/docs", "/redoc")

HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"same-origin",
}


class SecurityHeaders:
    """Add the Content-Security-Policy and the other security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers the response does not set itself."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"].startswith(DOCS_PATHS)
        policy = (DOCS_CSP if docs else CSP).encode()

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = {**HEADERS, b"content-security-policy": policy}
                headers += [(k, v) for k, v in extra.items() if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """413 for a request body over :data:`MAX_BODY`: at once when its Content-Length says
    so, else (chunked) as soon as the bytes read pass it."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a declared oversized body; count the bytes of any other."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lengths = [v for k, v in scope["headers"] if k.lower() == b"content-length"]
        if any(not v.isdigit() or int(v) > self.limit for v in lengths):
            detail = f"the request body is over {self.limit} bytes"
            await JSONResponse({"detail": detail}, status_code=413)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise HTTPException(413, f"the request body is over {self.limit} bytes")
            return message

        await self.app(scope, counted, send)


class _HeadDone(Exception):
    """The HEAD response is complete; the GET handler behind it may stop."""


def _only_head_done(exc: BaseException) -> bool:
    if isinstance(exc, _HeadDone):
        return True
    if isinstance(exc, BaseExceptionGroup):
        return all(_only_head_done(e) for e in exc.exceptions)
    return False


class HeadAsGet:
    """Answer ``HEAD`` on every ``GET`` route: the GET response's status and headers, no body.

    FastAPI's ``APIRouter.get`` registers GET only (HEAD would be a 405). The request goes
    on as a GET; the first body chunk ends the response, and a handler that goes on
    sending (the event stream) is stopped there rather than streaming into the void.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run HEAD requests as GET and drop the body; everything else passes through."""
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        done = False

        async def head_send(message: Message) -> None:
            nonlocal done
            if message["type"] == "http.response.start":
                await send(message)
            elif message["type"] == "http.response.body":
                if done:
                    raise _HeadDone
                done = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                if message.get("more_body", False):
                    raise _HeadDone
            else:
                await send(message)

        async def head_receive() -> Message:
            if done:
                return {"type": "http.disconnect"}
            return await receive()

        try:
            await self.app({**scope, "method": "GET"}, head_receive, head_send)
        except BaseException as exc:
            if not (done and _only_head_done(exc)):
                raise
