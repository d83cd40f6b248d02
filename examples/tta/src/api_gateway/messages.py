"""Requests and responses as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Request:
    """An incoming HTTP request."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    client: str = "127.0.0.1"
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class Response:
    """An outgoing HTTP response."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
