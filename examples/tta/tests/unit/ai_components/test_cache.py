from ai_components.cache import AnalysisCache


def test_cache_round_trip(tmp_path):
    cache = AnalysisCache(tmp_path / "cache.bin")
    assert cache.load() == 0
    cache.put("turn-1", {"label": "positive"})
    cache.save()
    fresh = AnalysisCache(tmp_path / "cache.bin")
    assert fresh.load() == 1
    assert fresh.get("turn-1") == {"label": "positive"}
    assert fresh.get("missing", "none") == "none"
