from acme.billing.invoice import line


def test_line():
    assert line("tea", 3) == "tea: 3"
