import pytest

from api_gateway.app import Gateway
from api_gateway.auth import authenticate
from api_gateway.config import GatewayConfig
from api_gateway.errors import NotFound, TooManyRequests, Unauthorized
from api_gateway.messages import Request
from api_gateway.rate_limit import RateLimiter
from api_gateway.routing import Router

CONFIG = GatewayConfig(api_keys=frozenset({"k-123"}), burst=2)
KEY = {"x-api-key": "k-123"}


def test_player_lookup_end_to_end():
    response = Gateway(CONFIG).handle(Request("GET", "/players/p-1", headers=dict(KEY)))
    assert response.status == 200
    assert response.body == {"id": "p-1", "name": "Robin", "sessions": 3}
    assert response.headers["x-request-id"].startswith("req-")
    assert float(response.headers["x-response-ms"]) >= 0


def test_health_is_public_and_errors_are_json():
    gateway = Gateway(CONFIG)
    assert gateway.handle(Request("GET", "/health")).status == 200
    missing = gateway.handle(Request("GET", "/players/p-9", headers=dict(KEY)))
    assert (missing.status, missing.body["error"]) == (404, "NotFound")
    denied = gateway.handle(Request("GET", "/players/p-1"))
    assert denied.status == 401


def test_auth_rejects_unknown_key():
    with pytest.raises(Unauthorized, match="unknown"):
        authenticate(Request("GET", "/players/p-1", headers={"x-api-key": "nope"}), CONFIG)
    with pytest.raises(Unauthorized, match="missing"):
        authenticate(Request("GET", "/players/p-1"), CONFIG)
    assert authenticate(Request("GET", "/health"), CONFIG) is None
    assert authenticate(Request("GET", "/x", headers=dict(KEY)), CONFIG) == "k-123"


def test_rate_limit_refills_over_time():
    now = [0.0]
    limiter = RateLimiter(per_minute=60, burst=2, clock=lambda: now[0])
    limiter.check("c")
    limiter.check("c")
    with pytest.raises(TooManyRequests):
        limiter.check("c")
    now[0] = 1.0
    assert limiter.check("c") == pytest.approx(0.0)


def test_gateway_answers_429_when_limited():
    gateway = Gateway(CONFIG, RateLimiter(per_minute=1, burst=1, clock=lambda: 0.0))
    ok = gateway.handle(Request("GET", "/players/p-2", headers=dict(KEY)))
    assert ok.status == 200
    limited = gateway.handle(Request("GET", "/players/p-2", headers=dict(KEY)))
    assert limited.status == 429


def test_router_params_and_method():
    router = Router()
    router.add("post", "/a/{x}/b", lambda r: None)  # type: ignore[arg-type,return-value]
    request = Request("POST", "/a/7/b")
    router.resolve(request)
    assert request.params == {"x": "7"}
    with pytest.raises(NotFound):
        router.resolve(Request("GET", "/a/7/b"))
    with pytest.raises(NotFound):
        router.resolve(Request("POST", "/a/7/c"))
