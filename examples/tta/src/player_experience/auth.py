"""Player sign-in: salted password hashes and short-lived session tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

ITERATIONS = 120_000
TOKEN_TTL_SECONDS = 3600


def hash_password(password: str, salt: bytes | None = None) -> str:
    """PBKDF2-SHA256 hash of ``password`` as ``salt$digest`` in hex."""
    if len(password) < 8:
        raise ValueError("password must have at least 8 characters")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, ITERATIONS)
    return f"{salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check of ``password`` against a stored hash."""
    salt_hex, _, digest_hex = stored.partition("$")
    if not salt_hex or not digest_hex:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt_hex), ITERATIONS)
    return hmac.compare_digest(digest.hex(), digest_hex)


class TokenIssuer:
    """Issues and validates opaque session tokens."""

    def __init__(self, ttl: float = TOKEN_TTL_SECONDS) -> None:
        self.ttl = ttl
        self._tokens: dict[str, tuple[str, float]] = {}

    def issue(self, player_id: str) -> str:
        """A new token for ``player_id``."""
        token = secrets.token_urlsafe(24)
        self._tokens[token] = (player_id, time.monotonic() + self.ttl)
        return token

    def player_for(self, token: str) -> str | None:
        """The player a valid token belongs to, or None (unknown or expired)."""
        entry = self._tokens.get(token)
        if entry is None:
            return None
        player_id, expires = entry
        if time.monotonic() > expires:
            del self._tokens[token]
            return None
        return player_id

    def revoke(self, token: str) -> None:
        """Forget a token (sign-out)."""
        self._tokens.pop(token, None)
