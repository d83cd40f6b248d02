from acme.orders.totals import total


def test_small_order():
    assert total([3, 5]) == 8


def test_discount():
    assert total([60, 40]) == 95  # wrong on purpose: the discount gives 90
