import psycopg
import pytest
import redis

from player_experience.directory import PlayerDirectory
from player_experience.models import PlayerProfile
from player_experience.presence import Presence

pytestmark = [pytest.mark.integration, pytest.mark.player_experience]


def test_presence_lives_in_redis_and_expires(redis_url):
    client = redis.Redis.from_url(redis_url)
    presence = Presence(client, ttl=60)
    presence.seen("p-1", "gate")
    assert presence.scene_of("p-1") == "gate"
    assert 0 < client.ttl(Presence.key("p-1")) <= 60
    assert presence.leave("p-1") is True
    assert presence.scene_of("p-1") is None


def test_the_directory_keeps_profiles_in_postgresql(postgres_dsn):
    with psycopg.connect(postgres_dsn) as connection:
        directory = PlayerDirectory(connection, paramstyle="format")
        directory.add(PlayerProfile("p-7", "Noor"))
        directory.add(PlayerProfile("p-7", "Noor A."))
    with psycopg.connect(postgres_dsn) as connection:
        again = PlayerDirectory(connection, paramstyle="format")
        assert again.find("p-7") == PlayerProfile("p-7", "Noor A.")
        assert again.count() == 1
