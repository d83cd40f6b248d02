from acme.orders.totals import total


def test_empty_order():
    assert total([]) == 0
