"""Errors that become HTTP responses."""

from __future__ import annotations


class HttpError(Exception):
    """An error with the HTTP status it maps to."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(HttpError):
    """No route matches."""

    status = 404


class Unauthorized(HttpError):
    """Missing or wrong API key."""

    status = 401


class TooManyRequests(HttpError):
    """The client is over its rate limit."""

    status = 429
