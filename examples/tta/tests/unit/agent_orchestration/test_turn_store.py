from agent_orchestration.persistence import TurnStore


def test_append_and_load(tmp_path):
    store = TurnStore(tmp_path / "turns")
    assert store.load("s-1") == []
    assert store.append("s-1", "open the door") == 1
    assert store.append("s-1", "light the lantern") == 2
    assert store.load("s-1") == ["open the door", "light the lantern"]
    assert store.sessions() == ["s-1"]
