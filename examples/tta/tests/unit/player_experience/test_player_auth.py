import pytest

from player_experience.auth import TokenIssuer, hash_password, verify_password

pytestmark = pytest.mark.player_experience


def test_hash_and_verify():
    stored = hash_password("correct horse", salt=b"0123456789abcdef")
    assert stored.startswith("30313233")
    assert verify_password("correct horse", stored)
    assert not verify_password("wrong horse!", stored)


def test_short_password_rejected():
    with pytest.raises(ValueError):
        hash_password("short")


def test_malformed_stored_hash():
    assert not verify_password("anything", "no-separator")


def test_tokens_issue_validate_revoke():
    issuer = TokenIssuer()
    token = issuer.issue("p-1")
    assert issuer.player_for(token) == "p-1"
    issuer.revoke(token)
    assert issuer.player_for(token) is None


def test_expired_token():
    issuer = TokenIssuer(ttl=-1)
    token = issuer.issue("p-1")
    assert issuer.player_for(token) is None
    assert issuer.player_for(token) is None
