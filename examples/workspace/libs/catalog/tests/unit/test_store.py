from acme.catalog.items import price


def test_known_item():
    assert price("tea") == 3


def test_unknown_item():
    assert price("coffee") == 0
