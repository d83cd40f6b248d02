"""Invoice lines."""


def line(item: str, amount: int) -> str:
    """One line of an invoice."""
    return f"{item}: {amount}"
