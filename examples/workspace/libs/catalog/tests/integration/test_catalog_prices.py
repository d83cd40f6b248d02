from acme.catalog.items import PRICES, price


def test_every_item_has_its_price():
    assert all(price(item) == cost for item, cost in PRICES.items())
