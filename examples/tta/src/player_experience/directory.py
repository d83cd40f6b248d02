"""The player directory: profiles in a SQL database (SQLite or PostgreSQL)."""

from __future__ import annotations

from typing import Any

from player_experience.models import PlayerProfile

SCHEMA = "CREATE TABLE IF NOT EXISTS players (id TEXT PRIMARY KEY, display_name TEXT NOT NULL)"
# Parameterized statements per driver parameter style: qmark (sqlite3), format (psycopg).
QUERIES = {
    "qmark": {
        "delete": "DELETE FROM players WHERE id = ?",
        "insert": "INSERT INTO players (id, display_name) VALUES (?, ?)",
        "find": "SELECT id, display_name FROM players WHERE id = ?",
    },
    "format": {
        "delete": "DELETE FROM players WHERE id = %s",
        "insert": "INSERT INTO players (id, display_name) VALUES (%s, %s)",
        "find": "SELECT id, display_name FROM players WHERE id = %s",
    },
}


class PlayerDirectory:
    """Stores and finds player profiles through a DB-API connection."""

    def __init__(self, connection: Any, paramstyle: str = "qmark") -> None:
        if paramstyle not in QUERIES:
            raise ValueError(f"unsupported paramstyle {paramstyle!r}")
        self.connection = connection
        self.sql = QUERIES[paramstyle]
        cursor = connection.cursor()
        cursor.execute(SCHEMA)
        connection.commit()

    def add(self, profile: PlayerProfile) -> None:
        """Insert or rename a player."""
        cursor = self.connection.cursor()
        cursor.execute(self.sql["delete"], (profile.player_id,))
        cursor.execute(self.sql["insert"], (profile.player_id, profile.display_name))
        self.connection.commit()

    def find(self, player_id: str) -> PlayerProfile | None:
        """The profile of ``player_id``, or None."""
        cursor = self.connection.cursor()
        cursor.execute(self.sql["find"], (player_id,))
        row = cursor.fetchone()
        return PlayerProfile(row[0], row[1]) if row else None

    def count(self) -> int:
        """How many players are registered."""
        cursor = self.connection.cursor()
        cursor.execute("SELECT COUNT(*) FROM players")
        return int(cursor.fetchone()[0])
