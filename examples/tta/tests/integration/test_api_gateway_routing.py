import pytest

from api_gateway.app import Gateway
from api_gateway.config import GatewayConfig
from api_gateway.messages import Request

pytestmark = pytest.mark.integration


def test_request_flows_through_every_layer():
    gateway = Gateway(GatewayConfig(api_keys=frozenset({"k"})))
    response = gateway.handle(Request("GET", "/players/p-2", headers={"x-api-key": "k"}))
    assert response.body["name"] == "Sam"
