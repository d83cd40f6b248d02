import random

import pytest

from player_experience import PlayerProfile, SessionManager
from player_experience.greetings import GREETINGS, greet

pytestmark = pytest.mark.player_experience


def test_session_records_turns_and_closes():
    manager = SessionManager()
    session, greeting = manager.start(PlayerProfile("p-1", "Robin"))
    assert "Robin" in greeting
    manager.record(session.session_id, "open the door")
    manager.record(session.session_id, "light the lantern")
    assert manager.active() == [session.session_id]
    assert manager.end(session.session_id) == ["turn 1: open the door", "turn 2: light the lantern"]
    assert manager.active() == []
    with pytest.raises(RuntimeError):
        manager.record(session.session_id, "too late")


def test_profile_settings():
    profile = PlayerProfile("p-2", "Sam", content_warnings={"grief"})
    assert profile.wants_warning("Grief")
    assert not profile.wants_warning("spiders")
    profile.rename("  Samira ")
    assert profile.display_name == "Samira"
    with pytest.raises(ValueError):
        profile.rename("   ")


def test_greeting_with_seeded_rng():
    text = greet("Ada", random.Random(3))
    assert text in {g.format(name="Ada") for g in GREETINGS}
