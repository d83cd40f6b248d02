import sqlite3

import pytest
from starlette.testclient import TestClient

from player_experience.directory import PlayerDirectory
from player_experience.models import PlayerProfile
from player_experience.presence import Presence
from player_experience.web import app

pytestmark = pytest.mark.player_experience


def test_page_health_greeting_and_metrics():
    client = TestClient(app)
    assert "Begin your adventure" in client.get("/").text
    assert client.get("/health").json() == {"status": "ok", "players": 4}
    answer = client.get("/api/players/p-2/greeting")
    assert "Sam" in answer.json()["greeting"]
    assert answer.headers["server-timing"].startswith("db;dur=")
    assert client.get("/api/players/nobody/greeting").status_code == 404
    metrics = client.get("/metrics").text
    assert 'player_experience_requests_total{route="/health",status="200"}' in metrics


def test_directory_adds_renames_and_finds():
    directory = PlayerDirectory(sqlite3.connect(":memory:"))
    directory.add(PlayerProfile("p-9", "Lee"))
    directory.add(PlayerProfile("p-9", "Lee Ann"))
    assert directory.find("p-9").display_name == "Lee Ann"
    assert directory.find("p-0") is None
    assert directory.count() == 1
    with pytest.raises(ValueError):
        PlayerDirectory(sqlite3.connect(":memory:"), paramstyle="named")


class DictStore:
    """A key-value store with redis-py's method shapes, for unit tests."""

    def __init__(self):
        self.data = {}

    def set(self, name, value, ex=None):
        self.data[name] = value.encode()

    def get(self, name):
        return self.data.get(name)

    def delete(self, *names):
        return sum(self.data.pop(n, None) is not None for n in names)


def test_presence_marks_players_online_and_offline():
    presence = Presence(DictStore(), ttl=60)
    presence.seen("p-1", "gate")
    assert presence.scene_of("p-1") == "gate"
    assert presence.leave("p-1") is True
    assert presence.leave("p-1") is False
    assert presence.scene_of("p-1") is None
    with pytest.raises(ValueError):
        Presence(DictStore(), ttl=0)
