import pytest

from infrastructure.settings import load_settings


def test_defaults_and_overrides():
    assert load_settings({}).redis_url == "redis://127.0.0.1:6379/0"
    settings = load_settings({"TTA_LOG_LEVEL": "debug", "TTA_REQUEST_TIMEOUT": "2.5"})
    assert (settings.log_level, settings.request_timeout) == ("DEBUG", 2.5)
    with pytest.raises(ValueError):
        load_settings({"TTA_REQUEST_TIMEOUT": "0"})
